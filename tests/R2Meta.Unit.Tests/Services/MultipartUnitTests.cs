using System.IO.Hashing;
using System.Security.Cryptography;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Services;

/// <summary>Upload ids, block ids, multipart ETags and composite checksums, and ListMultipartUploads paging.</summary>
public sealed class MultipartUnitTests
{
    [Fact]
    public void NewUploadId_IsUrlSafeWellFormedAndOrderedByTime()
    {
        var t0 = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 50).Select(i => MultipartIds.NewUploadId(t0.AddTicks(i * 1000))).ToList();

        Assert.All(ids, id => Assert.True(MultipartIds.IsWellFormed(id), id));
        Assert.All(ids, id => Assert.Equal(Uri.EscapeDataString(id), id));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-id")]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef")]
    [InlineData("../../0123456789abcdef0123456789abcdef0123456789ab")]
    public void IsWellFormed_Junk_False(string? id) => Assert.False(MultipartIds.IsWellFormed(id));

    [Theory]
    [InlineData(1, 0UL, 0)]
    [InlineData(10_000, ulong.MaxValue, 1)]
    [InlineData(257, 0x0123456789abcdefUL, 255)]
    public void BlockId_FixedLengthBase64_RoundTrips(int part, ulong nonce, int sub)
    {
        var id = MultipartIds.BlockId(part, nonce, sub);

        Assert.Equal(16, id.Length);
        Assert.Equal((part, nonce, sub), MultipartIds.ParseBlockId(id));
    }

    [Fact]
    public void BlockId_DiffersByPartNonceAndSubBlock()
    {
        var ids = new[]
        {
            MultipartIds.BlockId(1, 7, 0), MultipartIds.BlockId(2, 7, 0), MultipartIds.BlockId(1, 8, 0), MultipartIds.BlockId(1, 7, 1),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Theory]
    [InlineData(0L, new long[] { 0 })]
    [InlineData(5L * 1024 * 1024, new long[] { 5L * 1024 * 1024 })]
    [InlineData(4000L * 1024 * 1024, new long[] { 4000L * 1024 * 1024 })]
    [InlineData(4000L * 1024 * 1024 + 1, new long[] { 4000L * 1024 * 1024, 1 })]
    [InlineData(5L * 1024 * 1024 * 1024, new long[] { 4000L * 1024 * 1024, 1120L * 1024 * 1024 })]
    public void BlockSizes_SplitsOnlyAbove4000MiB(long length, long[] expected) => Assert.Equal(expected, MultipartIds.BlockSizes(length));

    [Fact]
    public void MultipartETag_IsMd5OfConcatenatedPartMd5sWithCount()
    {
        byte[][] parts = [RandomNumberGenerator.GetBytes(100), RandomNumberGenerator.GetBytes(7)];
        var records = parts.Select((p, i) => Part(i + 1, p)).ToList();

        var expected = Convert.ToHexStringLower(MD5.HashData([.. MD5.HashData(parts[0]), .. MD5.HashData(parts[1])]));

        Assert.Equal($"\"{expected}-2\"", MultipartChecksums.ETag(records));
    }

    [Fact]
    public void CompositeChecksum_IsCrcOfConcatenatedPartCrcsWithCount()
    {
        byte[][] parts = [RandomNumberGenerator.GetBytes(100), RandomNumberGenerator.GetBytes(7), RandomNumberGenerator.GetBytes(1)];
        var partCrcs = parts.Select(p => Crc32BigEndian(p)).ToList();

        var composite = MultipartChecksums.CompositeChecksum("CRC32", [.. partCrcs.Select(Convert.ToBase64String)]);

        Assert.Equal(Convert.ToBase64String(Crc32BigEndian([.. partCrcs.SelectMany(c => c)])) + "-3", composite);
    }

    [Fact]
    public void MultipartUploadListing_SortsByUtf8KeyThenUploadId()
    {
        var uploads = new[] { Upload("\uFFFD", "2"), Upload("\U0001F600", "1"), Upload("b", "9"), Upload("b", "3"), Upload("a", "5") };

        var page = UploadListing.Page(uploads, new UploadListQuery());

        Assert.Equal(["a", "b", "b", "\uFFFD", "\U0001F600"], page.Uploads.Select(u => u.Key));
        Assert.Equal(["3", "9"], page.Uploads.Where(u => u.Key == "b").Select(u => u.UploadId));
        Assert.False(page.IsTruncated);
    }

    [Fact]
    public void MultipartUploadListing_PagesThroughKeyAndUploadIdMarkers()
    {
        var uploads = new[] { Upload("a", "1"), Upload("a", "2"), Upload("a", "3"), Upload("b", "1") };

        var first = UploadListing.Page(uploads, new UploadListQuery { MaxUploads = 2 });
        var second = UploadListing.Page(uploads, new UploadListQuery { MaxUploads = 2, KeyMarker = first.NextKeyMarker, UploadIdMarker = first.NextUploadIdMarker });
        var keyOnly = UploadListing.Page(uploads, new UploadListQuery { KeyMarker = "a" });

        Assert.Equal(["1", "2"], first.Uploads.Select(u => u.UploadId));
        Assert.True(first.IsTruncated);
        Assert.Equal(("a", "2"), (first.NextKeyMarker, first.NextUploadIdMarker));
        Assert.Equal([("a", "3"), ("b", "1")], second.Uploads.Select(u => (u.Key, u.UploadId)));
        Assert.False(second.IsTruncated);
        Assert.Equal(["b"], keyOnly.Uploads.Select(u => u.Key));
    }

    [Fact]
    public void MultipartUploadListing_DelimiterGroupsCommonPrefixesOnceAcrossPages()
    {
        var uploads = new[] { Upload("a/1", "1"), Upload("a/2", "1"), Upload("b/x/1", "1"), Upload("c", "1"), Upload("p/q", "1") };

        var first = UploadListing.Page(uploads, new UploadListQuery { Delimiter = "/", MaxUploads = 2 });
        var second = UploadListing.Page(uploads, new UploadListQuery { Delimiter = "/", MaxUploads = 2, KeyMarker = first.NextKeyMarker, UploadIdMarker = first.NextUploadIdMarker });
        var prefixed = UploadListing.Page(uploads, new UploadListQuery { Delimiter = "/", Prefix = "b/" });

        Assert.Equal(["a/", "b/"], first.CommonPrefixes);
        Assert.True(first.IsTruncated);
        Assert.Equal("b/", first.NextKeyMarker);
        Assert.Equal(["c"], second.Uploads.Select(u => u.Key));
        Assert.Equal(["p/"], second.CommonPrefixes);
        Assert.Equal(["b/x/"], prefixed.CommonPrefixes);
    }

    private static byte[] Crc32BigEndian(byte[] data)
    {
        var crc = Crc32.HashToUInt32(data);
        return [(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    private static PartRecord Part(int number, byte[] bytes) => new()
    {
        Bucket = "b",
        UploadId = "u",
        PartNumber = number,
        Size = bytes.Length,
        ETag = ETags.Quote(Convert.ToHexStringLower(MD5.HashData(bytes))),
        BlockIds = [],
        LastModified = DateTimeOffset.UnixEpoch,
    };

    private static UploadRecord Upload(string key, string uploadId) => new()
    {
        Bucket = "b",
        Key = key,
        UploadId = uploadId,
        BlobName = "b/" + uploadId,
        Initiated = DateTimeOffset.UnixEpoch,
        OwnerId = "o",
    };
}

/// <summary>FULL_OBJECT checksums of multipart objects combine the parts' CRCs without the bytes.</summary>
public sealed class MultipartFullObjectChecksumTests
{
    [Theory]
    [InlineData("CRC32")]
    [InlineData("CRC32C")]
    [InlineData("CRC64NVME")]
    public void FullObjectChecksum_EqualsTheCrcOfTheConcatenatedBytes(string algorithm)
    {
        byte[][] parts = [RandomNumberGenerator.GetBytes(5000), RandomNumberGenerator.GetBytes(1), RandomNumberGenerator.GetBytes(77_777), []];
        var partValues = parts.Select(p => (R2Meta.Domain.Hashing.Checksums.ComputeBase64(algorithm, p), (long)p.Length)).ToList();

        var combined = MultipartChecksums.FullObjectChecksum(algorithm, partValues);

        Assert.Equal(R2Meta.Domain.Hashing.Checksums.ComputeBase64(algorithm, [.. parts.SelectMany(p => p)]), combined);
    }
}
