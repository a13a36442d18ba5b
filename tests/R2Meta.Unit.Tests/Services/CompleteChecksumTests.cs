using System.Text;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3.Handlers;
using R2Meta.Unit.Tests.Auth;

namespace R2Meta.Unit.Tests.Services;

/// <summary>What a CompleteMultipartUpload states about checksums, judged against its upload and parts.</summary>
public sealed class CompleteChecksumTests
{
    private static readonly byte[][] Bytes = [Encoding.ASCII.GetBytes("1234"), Encoding.ASCII.GetBytes("56789")];

    [Fact]
    public void FullObjectChecksum_Crc64NvmeCheckValue_CombinesFromTwoParts()
    {
        // CRC-64/NVME's catalogue check value: the CRC of "123456789" is 0xAE8B14860A799888.
        var parts = Bytes.Select(b => (Checksums.ComputeBase64(Checksums.Crc64Nvme, b), (long)b.Length)).ToList();

        var combined = MultipartChecksums.FullObjectChecksum(Checksums.Crc64Nvme, parts);

        Assert.Equal(Convert.ToBase64String(Convert.FromHexString("AE8B14860A799888")), combined);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("CRC64NVME")]
    public void ForCompletedObject_FullObjectNothingOrTheRightAlgorithmStated_IsTheCombinedCrc(string? statedAlgorithm)
    {
        var (upload, parts) = Upload(Checksums.Crc64Nvme, MultipartChecksums.FullObject);
        var expected = Checksums.ComputeBase64(Checksums.Crc64Nvme, "123456789"u8);
        var stated = statedAlgorithm is null ? null : new StatedChecksum(statedAlgorithm, expected, MultipartChecksums.FullObject);

        var result = MultipartChecksums.ForCompletedObject(upload, parts, stated);

        Assert.Equal((Checksums.Crc64Nvme, expected, MultipartChecksums.FullObject), result.Value);
    }

    [Fact]
    public void ForCompletedObject_FullObjectWrongValue_ChecksumMismatch()
    {
        var (upload, parts) = Upload(Checksums.Crc32, MultipartChecksums.FullObject);

        var result = MultipartChecksums.ForCompletedObject(upload, parts, new StatedChecksum(Checksums.Crc32, "AAAAAA==", null));

        Assert.Equal(Failure.ChecksumMismatch, result.Error!.Failure);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ForCompletedObject_CompositeRightValueWithOrWithoutPartCount_Holds(bool withCount)
    {
        var (upload, parts) = Upload(Checksums.Sha256, MultipartChecksums.Composite);
        var composite = MultipartChecksums.CompositeChecksum(Checksums.Sha256, [.. parts.Select(p => p.Checksum!)]);
        var stated = withCount ? composite : composite[..^2];

        var result = MultipartChecksums.ForCompletedObject(upload, parts, new StatedChecksum(Checksums.Sha256, stated, MultipartChecksums.Composite));

        Assert.Equal(composite, result.Value!.Value.Value);
        Assert.EndsWith("-2", composite, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-3")]
    [InlineData("")]
    public void ForCompletedObject_CompositeWrongValueOrPartCount_ChecksumMismatch(string suffix)
    {
        var (upload, parts) = Upload(Checksums.Sha256, MultipartChecksums.Composite);
        var composite = MultipartChecksums.CompositeChecksum(Checksums.Sha256, [.. parts.Select(p => p.Checksum!)]);
        var stated = suffix.Length > 0 ? composite[..^2] + suffix : Checksums.ComputeBase64(Checksums.Sha256, "other"u8);

        var result = MultipartChecksums.ForCompletedObject(upload, parts, new StatedChecksum(Checksums.Sha256, stated, null));

        Assert.Equal(Failure.ChecksumMismatch, result.Error!.Failure);
    }

    [Fact]
    public void ForCompletedObject_OtherTypeThanTheUpload_ChecksumTypeMismatch()
    {
        var (upload, parts) = Upload(Checksums.Crc32, MultipartChecksums.Composite);

        var result = MultipartChecksums.ForCompletedObject(upload, parts, new StatedChecksum(null, null, MultipartChecksums.FullObject));

        Assert.Equal(Failure.ChecksumTypeMismatch, result.Error!.Failure);
    }

    [Fact]
    public void ForCompletedObject_OtherAlgorithmThanTheUpload_ChecksumAlgorithmMismatch()
    {
        var (upload, parts) = Upload(Checksums.Crc32, MultipartChecksums.Composite);

        var result = MultipartChecksums.ForCompletedObject(upload, parts, new StatedChecksum(Checksums.Crc32C, "AAAAAA==", null));

        Assert.Equal(Failure.ChecksumAlgorithmMismatch, result.Error!.Failure);
    }

    [Fact]
    public void ForCompletedObject_UploadWithoutAlgorithmAndAChecksumStated_Refused()
    {
        var (upload, parts) = Upload(Checksums.Crc32, MultipartChecksums.Composite);
        upload = upload with { ChecksumAlgorithm = null, ChecksumType = null };

        var result = MultipartChecksums.ForCompletedObject(upload, parts, new StatedChecksum(Checksums.Crc32, "AAAAAA==", null));

        Assert.False(result.IsOk);
    }

    [Fact]
    public void ForCompletedObject_UploadWithoutAlgorithmNothingStated_NoChecksum()
    {
        var (upload, parts) = Upload(Checksums.Crc32, MultipartChecksums.Composite);

        var result = MultipartChecksums.ForCompletedObject(upload with { ChecksumAlgorithm = null, ChecksumType = null }, parts, null);

        Assert.Null(result.Value);
    }

    [Fact]
    public void CheckPart_CompositeUploadPartWithoutChecksum_PartChecksumMissing()
    {
        var (upload, parts) = Upload(Checksums.Sha256, MultipartChecksums.Composite);

        var error = MultipartChecksums.CheckPart(upload, new CompletedPart(2, parts[1].ETag), parts[1]);

        Assert.Equal(Failure.PartChecksumMissing, error!.Failure);
        Assert.Equal("2", error.Facts.Single(f => f.Key == "PartNumber").Value);
    }

    [Fact]
    public void CheckPart_FullObjectUploadPartWithoutChecksum_Holds()
    {
        var (upload, parts) = Upload(Checksums.Crc32C, MultipartChecksums.FullObject);

        Assert.Null(MultipartChecksums.CheckPart(upload, new CompletedPart(1, parts[0].ETag), parts[0]));
    }

    [Fact]
    public void CheckPart_WrongValueOrOtherAlgorithm_InvalidPart()
    {
        var (upload, parts) = Upload(Checksums.Crc32, MultipartChecksums.Composite);

        Assert.Equal(Failure.InvalidPart, MultipartChecksums.CheckPart(upload, new CompletedPart(1, parts[0].ETag, "AAAAAA==", Checksums.Crc32), parts[0])!.Failure);
        Assert.Equal(Failure.InvalidPart, MultipartChecksums.CheckPart(upload, new CompletedPart(1, parts[0].ETag, parts[0].Checksum, Checksums.Crc32C), parts[0])!.Failure);
        Assert.Null(MultipartChecksums.CheckPart(upload, new CompletedPart(1, parts[0].ETag, parts[0].Checksum, Checksums.Crc32), parts[0]));
    }

    [Fact]
    public void CheckPart_UploadWithoutAlgorithm_IgnoresPartChecksums()
    {
        var (upload, parts) = Upload(Checksums.Crc32, MultipartChecksums.Composite);

        Assert.Null(MultipartChecksums.CheckPart(upload with { ChecksumAlgorithm = null, ChecksumType = null }, new CompletedPart(1, parts[0].ETag, "AAAAAA==", Checksums.Crc32), parts[0]));
    }

    [Theory]
    [InlineData("x-amz-checksum-crc32", "AAAAAA==", "CRC32", "AAAAAA==")]
    [InlineData("x-amz-checksum-sha1", "2jmj7l5rSw0yVb/vlWAYkK/YBwk=-3", "SHA1", "2jmj7l5rSw0yVb/vlWAYkK/YBwk=-3")]
    public void ParseStatedChecksum_WellFormed_IsItsAlgorithmAndValue(string header, string value, string algorithm, string expected)
    {
        var stated = MultipartHandlers.ParseStatedChecksum(name => name == header ? value : null);

        Assert.Equal(new StatedChecksum(algorithm, expected, null), stated);
    }

    [Theory]
    [InlineData("x-amz-checksum-crc32", "AAAA")]
    [InlineData("x-amz-checksum-crc32", "not base64!")]
    [InlineData("x-amz-checksum-crc64nvme", "AAAAAA==")]
    [InlineData("x-amz-checksum-crc32", "AAAAAA==-0")]
    [InlineData("x-amz-checksum-crc32", "AAAAAA==-x")]
    [InlineData("x-amz-checksum-crc32", "AAAAAA==-10001")]
    public void ParseStatedChecksum_Malformed_InvalidRequest(string header, string value)
    {
        var error = TestRequests.Error(() => MultipartHandlers.ParseStatedChecksum(name => name == header ? value : null));

        Assert.Equal("InvalidRequest", error.Code);
        Assert.Equal($"Value for {header} header is invalid.", error.Message);
    }

    [Fact]
    public void ParseStatedChecksum_TwoAlgorithms_InvalidRequest()
    {
        var error = TestRequests.Error(() => MultipartHandlers.ParseStatedChecksum(name => name is "x-amz-checksum-crc32" or "x-amz-checksum-crc32c" ? "AAAAAA==" : null));

        Assert.Equal("InvalidRequest", error.Code);
    }

    [Theory]
    [InlineData("full_object", "FULL_OBJECT")]
    [InlineData("COMPOSITE", "COMPOSITE")]
    public void ParseStatedChecksum_TypeAlone_IsTheType(string value, string expected) =>
        Assert.Equal(new StatedChecksum(null, null, expected), MultipartHandlers.ParseStatedChecksum(name => name == "x-amz-checksum-type" ? value : null));

    [Fact]
    public void ParseStatedChecksum_UnknownType_InvalidRequest() =>
        Assert.Equal("InvalidRequest", TestRequests.Error(() => MultipartHandlers.ParseStatedChecksum(name => name == "x-amz-checksum-type" ? "PARTIAL" : null)).Code);

    [Fact]
    public void ParseStatedChecksum_Nothing_IsNull() => Assert.Null(MultipartHandlers.ParseStatedChecksum(_ => null));

    private static (UploadRecord Upload, List<PartRecord> Parts) Upload(string algorithm, string type)
    {
        var upload = new UploadRecord
        {
            Bucket = "b",
            Key = "k",
            UploadId = "u",
            BlobName = "blob",
            Initiated = DateTimeOffset.UnixEpoch,
            OwnerId = "o",
            ChecksumAlgorithm = algorithm,
            ChecksumType = type,
        };
        var parts = Bytes.Select((b, i) => new PartRecord
        {
            Bucket = "b",
            UploadId = "u",
            PartNumber = i + 1,
            Size = b.Length,
            ETag = ETags.Quote(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(b))),
            Checksum = Checksums.ComputeBase64(algorithm, b),
            BlockIds = ["block" + i],
            LastModified = DateTimeOffset.UnixEpoch,
        }).ToList();
        return (upload, parts);
    }
}
