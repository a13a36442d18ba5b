using System.Globalization;
using System.Security.Cryptography;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>What a CompleteMultipartUpload's <c>x-amz-checksum-*</c> (one algorithm and its value) and <c>x-amz-checksum-type</c> state; null members were not sent.</summary>
public sealed record StatedChecksum(string? Algorithm, string? Value, string? Type);

/// <summary>The ETag and checksum S3 gives a completed multipart object, computed from its parts' values.</summary>
public static class MultipartChecksums
{
    public const string Composite = "COMPOSITE";
    public const string FullObject = "FULL_OBJECT";

    /// <summary>MD5 of the concatenated binary part MD5s, hex, then "-N"; quoted.</summary>
    public static string ETag(IReadOnlyList<PartRecord> parts)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var part in parts)
        {
            md5.AppendData(Convert.FromHexString(ETags.Unquote(part.ETag)));
        }

        return ETags.Quote(Convert.ToHexStringLower(md5.GetHashAndReset()) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The algorithm's checksum of the concatenated binary part checksums, base64, then "-N".</summary>
    public static string CompositeChecksum(string algorithm, IReadOnlyList<string> partChecksums)
    {
        using var hasher = Checksums.CreateHasher(algorithm);
        foreach (var value in partChecksums)
        {
            hasher.Append(Convert.FromBase64String(value));
        }

        return hasher.GetBase64() + "-" + partChecksums.Count.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Checks the part list of a Complete against the upload's checksum: a COMPOSITE upload's request must
    /// name each part's checksum, in the upload's algorithm (else InvalidRequest, as S3); a stated checksum that
    /// is not the stored part's is <see cref="Failure.InvalidPart"/>. Null when the list holds.
    /// </summary>
    public static DomainError? CheckPart(UploadRecord upload, CompletedPart wanted, PartRecord stored)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(stored);
        if (upload.ChecksumAlgorithm is not { } algorithm)
        {
            // No algorithm, nothing stored to compare with: SDKs send their default part CRC32 here anyway.
            return null;
        }

        if (wanted.Checksum is null)
        {
            return upload.ChecksumType == Composite
                ? new DomainError(Failure.PartChecksumMissing, algorithm) { Facts = [new("PartNumber", wanted.PartNumber.ToString(CultureInfo.InvariantCulture))] }
                : null;
        }

        return (wanted.ChecksumAlgorithm ?? algorithm) == algorithm && wanted.Checksum == stored.Checksum
            ? null
            : new DomainError(Failure.InvalidPart, upload.UploadId)
            {
                Facts = [new("UploadId", upload.UploadId), new("PartNumber", wanted.PartNumber.ToString(CultureInfo.InvariantCulture)), new("ETag", wanted.ETag)],
            };
    }

    /// <summary>
    /// The checksum of an object completed from <paramref name="parts"/> (empty when the upload has none, or a
    /// part lacks one), judged against what the request stated: another type than the upload's is BadDigest
    /// (S3), another algorithm or one the upload has not is InvalidRequest, a value that differs is BadDigest.
    /// A COMPOSITE value may be stated with or without its "-N".
    /// </summary>
    public static Outcome<(string Algorithm, string Value, string Type)?> ForCompletedObject(UploadRecord upload, IReadOnlyList<PartRecord> parts, StatedChecksum? stated)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(parts);
        if (stated?.Type is { } statedType && statedType != upload.ChecksumType)
        {
            return new DomainError(Failure.ChecksumTypeMismatch, statedType) { Facts = [new("Expected", upload.ChecksumType ?? "none")] };
        }

        if (stated?.Algorithm is { } statedAlgorithm && statedAlgorithm != upload.ChecksumAlgorithm)
        {
            return new DomainError(Failure.ChecksumAlgorithmMismatch) { Facts = [new("Expected", upload.ChecksumAlgorithm ?? "null"), new("Actual", statedAlgorithm)] };
        }

        if (upload.ChecksumAlgorithm is not { } algorithm || parts.Any(p => p.Checksum is null))
        {
            return stated?.Algorithm is { } unverifiable
                ? new DomainError(Failure.ChecksumMismatch, unverifiable)
                : ((string, string, string)?)null;
        }

        var fullObject = upload.ChecksumType == FullObject && SupportsFullObject(algorithm);
        var value = fullObject
            ? FullObjectChecksum(algorithm, [.. parts.Select(p => (p.Checksum!, p.Size))])
            : CompositeChecksum(algorithm, [.. parts.Select(p => p.Checksum!)]);
        if (stated?.Value is { } expected && !StatedMatches(expected, value, fullObject))
        {
            return new DomainError(Failure.ChecksumMismatch, algorithm);
        }

        return (algorithm, value, fullObject ? FullObject : Composite);
    }

    private static bool StatedMatches(string stated, string computed, bool fullObject) =>
        stated == computed || (!fullObject && stated == computed[..computed.LastIndexOf('-')]);

    /// <summary>Whether S3 offers the FULL_OBJECT type for the algorithm (the CRCs, which combine without the bytes).</summary>
    public static bool SupportsFullObject(string algorithm) => algorithm is Checksums.Crc32 or Checksums.Crc32C or Checksums.Crc64Nvme;

    /// <summary>
    /// The CRC of the whole object from its parts' CRCs and sizes, without reading a byte: CRC(A‖B) is
    /// CRC(A) advanced over |B| zero bytes, XOR CRC(B) (zlib's crc32_combine, for any reflected CRC whose
    /// initial value and final XOR are all ones, as CRC32, CRC32C and CRC64NVME are). Base64, big-endian.
    /// </summary>
    public static string FullObjectChecksum(string algorithm, IReadOnlyList<(string Checksum, long Size)> parts)
    {
        var (polynomial, width) = algorithm switch
        {
            Checksums.Crc32 => (0xEDB88320UL, 32),
            Checksums.Crc32C => (0x82F63B78UL, 32),
            Checksums.Crc64Nvme => (0x9A6C9329AC4BC9B5UL, 64),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Only CRCs combine."),
        };

        var combined = 0UL;
        var first = true;
        foreach (var (checksum, size) in parts)
        {
            var crc = ReadBigEndian(Convert.FromBase64String(checksum));
            combined = first ? crc : Combine(combined, crc, size, polynomial, width);
            first = false;
        }

        var bytes = new byte[width / 8];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(combined >> (8 * (bytes.Length - 1 - i)));
        }

        return Convert.ToBase64String(bytes);
    }

    private static ulong ReadBigEndian(byte[] bytes)
    {
        var value = 0UL;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static ulong Combine(ulong crc1, ulong crc2, long length2, ulong polynomial, int width)
    {
        if (length2 == 0)
        {
            return crc1;
        }

        // odd: the operator for one zero bit; squaring doubles the number of zero bits it applies.
        var odd = new ulong[width];
        var even = new ulong[width];
        odd[0] = polynomial;
        var row = 1UL;
        for (var n = 1; n < width; n++)
        {
            odd[n] = row;
            row <<= 1;
        }

        Square(even, odd);
        Square(odd, even);
        do
        {
            Square(even, odd);
            if ((length2 & 1) != 0)
            {
                crc1 = Times(even, crc1);
            }

            length2 >>= 1;
            if (length2 == 0)
            {
                break;
            }

            Square(odd, even);
            if ((length2 & 1) != 0)
            {
                crc1 = Times(odd, crc1);
            }

            length2 >>= 1;
        }
        while (length2 != 0);

        return crc1 ^ crc2;
    }

    private static ulong Times(ulong[] matrix, ulong vector)
    {
        var sum = 0UL;
        for (var i = 0; vector != 0; i++, vector >>= 1)
        {
            if ((vector & 1) != 0)
            {
                sum ^= matrix[i];
            }
        }

        return sum;
    }

    private static void Square(ulong[] square, ulong[] matrix)
    {
        for (var n = 0; n < matrix.Length; n++)
        {
            square[n] = Times(matrix, matrix[n]);
        }
    }
}
