using System.Text;

namespace R2Meta.Domain.Listing;

/// <summary>
/// The <c>encoding-type=url</c> form of names in listing responses, as S3 writes it: UTF-8 bytes,
/// letters, digits and <c>- _ . / *</c> kept, every other byte (space too) as <c>%XX</c>
/// (upper-case hex), which is what ceph/s3-tests pins (<c>quux%20ab/</c>, <c>foo%2B1/</c>).
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
            else
            {
                sb.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }

        return sb.ToString();
    }
}
