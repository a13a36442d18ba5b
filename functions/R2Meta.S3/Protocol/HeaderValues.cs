using System.Text;

namespace R2Meta.S3.Protocol;

/// <summary>Response header values that every host can send.</summary>
public static class HeaderValues
{
    /// <summary>
    /// A value an HTTP/1.1 header can carry: as is (non-ASCII goes out as UTF-8, as it came in) unless it
    /// holds control characters, which would break the header; those values go RFC 2047 encoded (=?UTF-8?B?...?=).
    /// </summary>
    public static string Safe(string value)
    {
        foreach (var c in value)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                return "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";
            }
        }

        return value;
    }
}
