using System.Text;

namespace R2Meta.Core.Listing;

/// <summary>
/// The <c>encoding-type=url</c> form of names in listing responses, as S3 writes it: UTF-8 bytes,
/// letters, digits and <c>- _ . / *</c> kept, space as <c>+</c>, every other byte as <c>%XX</c>
/// (upper-case hex). It is Java's URLEncoder with '/' kept, which SDKs undo with a plus-aware
/// decode (botocore's unquote_plus, the Java SDK's URL decoder).
/// </summary>
public static class S3UrlEncoding
{
    public const string EncodingType = "url";

    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '*')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }

        return sb.ToString();
    }
}
