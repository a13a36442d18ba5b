using System.Buffers.Binary;
using R2Meta.Domain.Hashing;

namespace R2Meta.Unit.Tests.Streaming;

public sealed class ChecksumsTests
{
    [Theory]
    [InlineData(Checksums.Crc32, "CBF43926")]
    [InlineData(Checksums.Crc32C, "E3069283")]
    [InlineData(Checksums.Crc64Nvme, "AE8B14860A799888")]
    [InlineData(Checksums.Sha1, "F7C3BC1D808E04732ADF679965CCC34CA7AE3441")]
    [InlineData(Checksums.Sha256, "15E2B0D3C33891EBB0F1EF609EC419420C20E320CE94C65FBC8C3312448EB225")]
    public void ComputeBase64_CheckString123456789_IsBigEndianKnownValue(string algorithm, string expectedHex)
    {
        var base64 = Checksums.ComputeBase64(algorithm, "123456789"u8);

        Assert.Equal(expectedHex, Convert.ToHexString(Convert.FromBase64String(base64)));
    }

    [Fact]
    public void ComputeBase64_Crc32OfHelloWorld_MatchesS3()
    {
        // "hello world" as S3 reports it in x-amz-checksum-crc32.
        Assert.Equal("DUoRhQ==", Checksums.ComputeBase64(Checksums.Crc32, "hello world"u8));
        Assert.Equal(0x0D4A1185u, BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String("DUoRhQ==")));
    }

    [Theory]
    [InlineData(Checksums.Crc32C)]
    [InlineData(Checksums.Crc64Nvme)]
    [InlineData(Checksums.Crc32)]
    public void Hasher_AppendInUnevenPieces_EqualsOneShot(string algorithm)
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 31 + 7)).ToArray();
        using var hasher = Checksums.CreateHasher(algorithm);
        var offset = 0;
        foreach (var size in new[] { 1, 3, 8, 13, 64, 100, 811 })
        {
            hasher.Append(data.AsSpan(offset, size));
            offset += size;
        }

        // Byte-at-a-time runs only the plain table; the one-shot runs the 8-byte path.
        using var bytewise = Checksums.CreateHasher(algorithm);
        foreach (var b in data)
        {
            bytewise.Append([b]);
        }

        Assert.Equal(Checksums.ComputeBase64(algorithm, data), hasher.GetBase64());
        Assert.Equal(hasher.GetBase64(), bytewise.GetBase64());
    }

    [Theory]
    [InlineData("crc32", "CRC32")]
    [InlineData("Crc64Nvme", "CRC64NVME")]
    [InlineData("md5", null)]
    public void Normalize_AnyCase_ReturnsCanonicalName(string name, string? expected) => Assert.Equal(expected, Checksums.Normalize(name));

    [Fact]
    public void IsValidBase64_WrongLength_IsFalse()
    {
        Assert.True(Checksums.IsValidBase64(Checksums.Crc32, "DUoRhQ=="));
        Assert.False(Checksums.IsValidBase64(Checksums.Crc64Nvme, "DUoRhQ=="));
        Assert.False(Checksums.IsValidBase64(Checksums.Crc32, "not base64"));
    }
}
