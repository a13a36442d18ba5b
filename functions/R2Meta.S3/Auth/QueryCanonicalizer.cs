using System.Buffers;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Auth;

/// <summary>
/// Writes SigV4's canonical query string (see <see cref="SigV4Signer.CanonicalQuery"/>) as ASCII bytes: each
/// parameter percent-decoded and re-encoded into one pooled scratch array, then the parameters sorted in place.
/// It works on bytes so that an escape which is not valid UTF-8 still round-trips exactly.
/// </summary>
internal static class QueryCanonicalizer
{
    public static void Append(ref Utf8Buffer destination, string rawQuery, bool excludeSignature)
    {
        var query = rawQuery.AsSpan();
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        if (query.IsEmpty)
        {
            return;
        }

        // Decoding gives at most 3 bytes a character and encoding at most 3 characters a byte.
        var encoded = ArrayPool<byte>.Shared.Rent(checked(PercentDecoding.MaxDecodedLength(query.Length) * 3));
        var decoded = ArrayPool<byte>.Shared.Rent(PercentDecoding.MaxDecodedLength(query.Length));
        var parameters = ArrayPool<Parameter>.Shared.Rent(query.Count('&') + 1);
        try
        {
            var count = 0;
            var length = 0;
            foreach (var range in query.Split('&'))
            {
                var part = query[range];
                if (part.IsEmpty)
                {
                    continue;
                }

                var eq = part.IndexOf('=');
                var name = decoded.AsSpan(0, PercentDecoding.Decode(eq < 0 ? part : part[..eq], plusIsSpace: true, strict: false, decoded));
                if (excludeSignature && name.SequenceEqual("X-Amz-Signature"u8))
                {
                    continue;
                }

                var start = length;
                length += SigV4Signer.Encode(name, encoded.AsSpan(length));
                var nameLength = length - start;
                var value = decoded.AsSpan(0, eq < 0 ? 0 : PercentDecoding.Decode(part[(eq + 1)..], plusIsSpace: true, strict: false, decoded));
                length += SigV4Signer.Encode(value, encoded.AsSpan(length));
                parameters[count++] = new Parameter(start, nameLength, length - start - nameLength);
            }

            parameters.AsSpan(0, count).Sort(new ByNameThenValue(encoded));
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    destination.Append((byte)'&');
                }

                destination.Append(parameters[i].Name(encoded));
                destination.Append((byte)'=');
                destination.Append(parameters[i].Value(encoded));
            }
        }
        finally
        {
            ArrayPool<Parameter>.Shared.Return(parameters);
            ArrayPool<byte>.Shared.Return(decoded);
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    /// <summary>A parameter's encoded name and value, one after the other in the scratch array.</summary>
    private readonly record struct Parameter(int Start, int NameLength, int ValueLength)
    {
        public ReadOnlySpan<byte> Name(byte[] encoded) => encoded.AsSpan(Start, NameLength);

        public ReadOnlySpan<byte> Value(byte[] encoded) => encoded.AsSpan(Start + NameLength, ValueLength);
    }

    /// <summary>Ordinal order of the encoded text, which is ASCII, so byte order.</summary>
    private readonly struct ByNameThenValue(byte[] encoded) : IComparer<Parameter>
    {
        public int Compare(Parameter x, Parameter y)
        {
            var byName = x.Name(encoded).SequenceCompareTo(y.Name(encoded));
            return byName != 0 ? byName : x.Value(encoded).SequenceCompareTo(y.Value(encoded));
        }
    }
}
