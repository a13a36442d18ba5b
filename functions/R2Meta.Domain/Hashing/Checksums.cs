using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace R2Meta.Domain.Hashing;

/// <summary>
/// The S3 checksum algorithms. Values are the big-endian digest bytes, base64-encoded, as S3 writes them
/// in <c>x-amz-checksum-*</c> headers and trailers.
/// </summary>
public static class Checksums
{
    public const string Crc32 = "CRC32";
    public const string Crc32C = "CRC32C";
    public const string Crc64Nvme = "CRC64NVME";
    public const string Sha1 = "SHA1";
    public const string Sha256 = "SHA256";

    /// <summary>Every algorithm, in the order S3 documents them.</summary>
    public static IReadOnlyList<string> Algorithms { get; } = [Crc32, Crc32C, Crc64Nvme, Sha1, Sha256];

    /// <summary>The canonical (upper-case) name of an algorithm given in any case; null when unknown.</summary>
    public static string? Normalize(string? name) =>
        name is null ? null : Algorithms.FirstOrDefault(a => string.Equals(a, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The header (and trailer) carrying a checksum, e.g. <c>x-amz-checksum-crc32</c>.</summary>
    public static string HeaderName(string algorithm) => "x-amz-checksum-" + algorithm.ToLowerInvariant();

    /// <summary>The digest size in bytes.</summary>
    public static int HashSize(string algorithm) => algorithm switch
    {
        Crc32 or Crc32C => 4,
        Crc64Nvme => 8,
        Sha1 => 20,
        Sha256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown checksum algorithm."),
    };

    /// <summary>Whether a base64 value decodes to a digest of the algorithm's size.</summary>
    public static bool IsValidBase64(string algorithm, string? value)
    {
        Span<byte> digest = stackalloc byte[32];
        return value is not null && Convert.TryFromBase64String(value, digest, out var written) && written == HashSize(algorithm);
    }

    public static ChecksumHasher CreateHasher(string algorithm) => algorithm switch
    {
        Crc32 => new Crc32Hasher(),
        Crc32C => new Crc32CHasher(),
        Crc64Nvme => new Crc64NvmeHasher(),
        Sha1 => new CryptoHasher(Sha1, HashAlgorithmName.SHA1),
        Sha256 => new CryptoHasher(Sha256, HashAlgorithmName.SHA256),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown checksum algorithm."),
    };

    /// <summary>The base64 checksum of a whole buffer.</summary>
    public static string ComputeBase64(string algorithm, ReadOnlySpan<byte> data)
    {
        using var hasher = CreateHasher(algorithm);
        hasher.Append(data);
        return Convert.ToBase64String(hasher.GetHash());
    }

    private sealed class Crc32Hasher() : ChecksumHasher(Crc32)
    {
        private readonly System.IO.Hashing.Crc32 _crc = new();

        public override void Append(ReadOnlySpan<byte> data) => _crc.Append(data);

        // System.IO.Hashing writes CRCs little-endian; S3 wants the value big-endian.
        public override byte[] GetHash()
        {
            var hash = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(hash, _crc.GetCurrentHashAsUInt32());
            return hash;
        }
    }

    /// <summary>CRC-32C (Castagnoli): System.IO.Hashing's vectorised implementation, about twice the CRC32C instruction loop.</summary>
    private sealed class Crc32CHasher() : ChecksumHasher(Crc32C)
    {
        private readonly System.IO.Hashing.Crc32 _crc = new(Crc32ParameterSet.Crc32C);

        public override void Append(ReadOnlySpan<byte> data) => _crc.Append(data);

        public override byte[] GetHash()
        {
            var hash = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(hash, _crc.GetCurrentHashAsUInt32());
            return hash;
        }
    }

    /// <summary>CRC-64/NVME: System.IO.Hashing's parameter set (its parameterless Crc64 is ECMA-182).</summary>
    private sealed class Crc64NvmeHasher() : ChecksumHasher(Crc64Nvme)
    {
        private readonly Crc64 _crc = new(Crc64ParameterSet.Nvme);

        public override void Append(ReadOnlySpan<byte> data) => _crc.Append(data);

        public override byte[] GetHash()
        {
            var hash = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(hash, _crc.GetCurrentHashAsUInt64());
            return hash;
        }
    }

    private sealed class CryptoHasher(string algorithm, HashAlgorithmName name) : ChecksumHasher(algorithm)
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(name);

        public override void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public override byte[] GetHash() => _hash.GetCurrentHash();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>An incremental S3 checksum; <see cref="GetHash"/> may be called at any point and does not reset.</summary>
public abstract class ChecksumHasher : IDisposable
{
    protected ChecksumHasher(string algorithm) => Algorithm = algorithm;

    /// <summary>One of the <see cref="Checksums"/> algorithm names.</summary>
    public string Algorithm { get; }

    public abstract void Append(ReadOnlySpan<byte> data);

    /// <summary>The big-endian digest of everything appended so far.</summary>
    public abstract byte[] GetHash();

    public string GetBase64() => Convert.ToBase64String(GetHash());

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
