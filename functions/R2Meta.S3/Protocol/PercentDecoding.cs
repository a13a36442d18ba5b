using System.Text;

namespace R2Meta.S3.Protocol;

/// <summary>
/// Percent-decoding of raw request targets, one implementation for paths, query parameters and SigV4's
/// canonical forms. Characters beyond ASCII (a target that was not percent-encoded) contribute their UTF-8 bytes.
/// </summary>
public static class PercentDecoding
{
    /// <summary>
    /// Decodes to bytes. Lenient (<paramref name="strict"/> false): a '%' not followed by two hex digits stays
    /// literal, as S3 treats it in a query. Strict: such an escape makes the result null.
    /// </summary>
    public static byte[]? ToBytes(string value, bool plusIsSpace, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = new List<byte>(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]))
            {
                bytes.Add((byte)((Uri.FromHex(value[i + 1]) << 4) | Uri.FromHex(value[i + 2])));
                i += 2;
            }
            else if (c == '%' && strict)
            {
                return null;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                var length = char.IsHighSurrogate(c) && i + 1 < value.Length
                    ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                    : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
                for (var j = 0; j < length; j++)
                {
                    bytes.Add(utf8[j]);
                }
            }
        }

        return [.. bytes];
    }

    /// <summary>A query component as text: '+' reads as a space; bytes that are not UTF-8 become U+FFFD.</summary>
    public static string QueryComponent(string value) =>
        value.AsSpan().IndexOfAny('%', '+') < 0 && Ascii.IsValid(value) ? value : Encoding.UTF8.GetString(ToBytes(value, plusIsSpace: true)!);
}
