using System.Text;

namespace R2Meta.Core.Protocol;

/// <summary>Response header values that every host can send.</summary>
public static class HeaderValues
{
    /// <summary>
    /// A value any HTTP/1.1 header can carry: as is when every character fits one byte and is not a
    /// control character; otherwise RFC 2047 encoded (=?UTF-8?B?...?=), as S3 returns non-ASCII metadata.
    /// </summary>
    public static string Safe(string value)
    {
        foreach (var c in value)
        {
            if (c > 0xFF || (c < 0x20 && c != '\t') || c == 0x7F)
            {
                return "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";
            }
        }

        return value;
    }
}
