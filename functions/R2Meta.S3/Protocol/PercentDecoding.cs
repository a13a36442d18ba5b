using System.Buffers;
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
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDecodedLength(value.Length));
        try
        {
            var length = Decode(value, plusIsSpace, strict, buffer);
            return length < 0 ? null : buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The most bytes <see cref="Decode"/> writes for a value of <paramref name="length"/> characters.</summary>
    public static int MaxDecodedLength(int length) => checked(length * 3);

    /// <summary>
    /// <see cref="ToBytes"/> into <paramref name="destination"/>, which holds at least <see cref="MaxDecodedLength"/>
    /// bytes; returns the count written, or -1 where <see cref="ToBytes"/> returns null.
    /// </summary>
    public static int Decode(ReadOnlySpan<char> value, bool plusIsSpace, bool strict, Span<byte> destination)
    {
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]))
            {
                destination[length++] = (byte)((Uri.FromHex(value[i + 1]) << 4) | Uri.FromHex(value[i + 2]));
                i += 2;
            }
            else if (c == '%' && strict)
            {
                return -1;
            }
            else if (c == '+' && plusIsSpace)
            {
                destination[length++] = (byte)' ';
            }
            else if (c < 0x80)
            {
                destination[length++] = (byte)c;
            }
            else
            {
                length += char.IsHighSurrogate(c) && i + 1 < value.Length
                    ? Encoding.UTF8.GetBytes(value.Slice(i++, 2), destination[length..])
                    : Encoding.UTF8.GetBytes(value.Slice(i, 1), destination[length..]);
            }
        }

        return length;
    }

    /// <summary>A query component as text: '+' reads as a space; bytes that are not UTF-8 become U+FFFD.</summary>
    public static string QueryComponent(string value) =>
        value.AsSpan().IndexOfAny('%', '+') < 0 && Ascii.IsValid(value) ? value : Encoding.UTF8.GetString(ToBytes(value, plusIsSpace: true)!);
}
