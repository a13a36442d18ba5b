using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>
/// What CompleteMultipartUpload does with checksums the client states (x-amz-checksum-*, x-amz-checksum-type,
/// part checksums in the body): checked against the parts, refused with S3's codes, never ignored. Per backend.
/// </summary>
public abstract class MultipartChecksumTests : OneBucketTests
{
    private const int PartSize = 5 * 1024 * 1024;

    protected MultipartChecksumTests(R2MetaHost host)
        : base(host, "mpcrc")
    {
    }

    internal static string Crc64NvmeBase64(byte[] data)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, System.IO.Hashing.Crc64.HashToUInt64(System.IO.Hashing.Crc64ParameterSet.Nvme, data));
        return Convert.ToBase64String(bytes);
    }

    [Fact]
    public async Task Complete_FullObjectCrc64Nvme_RightValueCommitsAndGetAnswersTheWholeObjectsCrc()
    {
        var data = RandomNumberGenerator.GetBytes(PartSize + 1234);
        var (uploadId, parts) = await UploadAsync("full.bin", data, ChecksumAlgorithm.CRC64NVME);

        var wrong = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "full.bin", UploadId = uploadId, PartETags = parts, ChecksumCRC64NVME = Crc64NvmeBase64([1, 2, 3]), ChecksumType = ChecksumType.FULL_OBJECT,
        }));
        var complete = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "full.bin", UploadId = uploadId, PartETags = parts, ChecksumCRC64NVME = Crc64NvmeBase64(data), ChecksumType = ChecksumType.FULL_OBJECT,
        });

        Assert.Equal(("BadDigest", HttpStatusCode.BadRequest), (wrong.ErrorCode, wrong.StatusCode));
        Assert.Equal(Crc64NvmeBase64(data), complete.ChecksumCRC64NVME);
        Assert.Equal(ChecksumType.FULL_OBJECT, complete.ChecksumType);
        var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = "full.bin", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal(Crc64NvmeBase64(data), head.ChecksumCRC64NVME);
        Assert.Equal(ChecksumType.FULL_OBJECT, head.ChecksumType);
        using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "full.bin", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal(Crc64NvmeBase64(data), get.ChecksumCRC64NVME);
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task Complete_FullObjectCrc32_CombinesThePartCrcs()
    {
        var data = RandomNumberGenerator.GetBytes(2 * PartSize + 7);
        var create = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "crc32.bin", ChecksumAlgorithm = ChecksumAlgorithm.CRC32, ChecksumType = ChecksumType.FULL_OBJECT };
        var (uploadId, parts) = await UploadAsync(create, data);

        var complete = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "crc32.bin", UploadId = uploadId, PartETags = parts, ChecksumCRC32 = ObjectTests.Crc32Base64(data),
        });

        Assert.Equal(ObjectTests.Crc32Base64(data), complete.ChecksumCRC32);
        var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = "crc32.bin", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal(ObjectTests.Crc32Base64(data), head.ChecksumCRC32);
        Assert.Equal(ChecksumType.FULL_OBJECT, head.ChecksumType);
    }

    [Fact]
    public async Task GetAndHeadByPartNumber_ChecksumModeEnabled_CompositeAnswersThatPartsChecksum_FullObjectOfSeveralPartsNone()
    {
        var data = RandomNumberGenerator.GetBytes(PartSize + 99);
        var composite = await CompleteTwoPartsAsync("parts-composite", ChecksumType.COMPOSITE, data);
        var full = await CompleteTwoPartsAsync("parts-full", ChecksumType.FULL_OBJECT, data);

        for (var n = 1; n <= 2; n++)
        {
            using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "parts-composite", PartNumber = n, ChecksumMode = ChecksumMode.ENABLED });
            await get.ResponseStream.CopyToAsync(Stream.Null);
            var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = "parts-composite", PartNumber = n, ChecksumMode = ChecksumMode.ENABLED });
            var fullHead = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = "parts-full", PartNumber = n, ChecksumMode = ChecksumMode.ENABLED });

            Assert.Equal(composite[n - 1].ChecksumCRC32, get.ChecksumCRC32);
            Assert.Equal(composite[n - 1].ChecksumCRC32, head.ChecksumCRC32);
            Assert.Equal("COMPOSITE", head.ChecksumType?.Value);
            Assert.Null(fullHead.ChecksumCRC32);
            Assert.NotNull(full[n - 1].ChecksumCRC32);
        }
    }

    private async Task<List<PartETag>> CompleteTwoPartsAsync(string key, ChecksumType type, byte[] data)
    {
        var create = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ChecksumAlgorithm = ChecksumAlgorithm.CRC32, ChecksumType = type };
        var (uploadId, parts) = await UploadAsync(create, data);
        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId, PartETags = parts });
        return parts;
    }

    [Fact]
    public async Task Complete_CompositeStatedValue_CheckedWithOrWithoutPartCount()
    {
        var data = RandomNumberGenerator.GetBytes(PartSize + 99);
        var (uploadId, parts) = await UploadAsync("composite.bin", data, ChecksumAlgorithm.SHA256);
        var composite = Convert.ToBase64String(SHA256.HashData([.. parts.SelectMany(p => Convert.FromBase64String(p.ChecksumSHA256))]));

        var wrongCount = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "composite.bin", UploadId = uploadId, PartETags = parts, ChecksumSHA256 = composite + "-3",
        }));
        var complete = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "composite.bin", UploadId = uploadId, PartETags = parts, ChecksumSHA256 = composite + "-2", ChecksumType = ChecksumType.COMPOSITE,
        });

        Assert.Equal("BadDigest", wrongCount.ErrorCode);
        Assert.Equal(composite + "-2", complete.ChecksumSHA256);
        Assert.Equal(ChecksumType.COMPOSITE, complete.ChecksumType);
    }

    [Fact]
    public async Task Complete_StatedChecksumsThatDoNotHold_RefusedWithS3sCodesAndTheUploadStaysCompletable()
    {
        var data = RandomNumberGenerator.GetBytes(PartSize + 5);
        var (uploadId, parts) = await UploadAsync("refused.bin", data, ChecksumAlgorithm.CRC32);

        var typeMismatch = await CompleteErrorAsync("refused.bin", uploadId, parts, r => r.ChecksumType = ChecksumType.FULL_OBJECT);
        var otherAlgorithm = await CompleteErrorAsync("refused.bin", uploadId, parts, r => r.ChecksumCRC32C = "AAAAAA==");
        var malformed = await CompleteErrorAsync("refused.bin", uploadId, parts, r => r.ChecksumCRC32 = "AAAA");
        var wrongPart = await CompleteErrorAsync("refused.bin", uploadId, [parts[0], new PartETag { PartNumber = 2, ETag = parts[1].ETag, ChecksumCRC32 = "AAAAAA==" }], _ => { });
        var missingPart = await CompleteErrorAsync("refused.bin", uploadId, [parts[0], new PartETag(2, parts[1].ETag)], _ => { });

        Assert.Equal(("BadDigest", HttpStatusCode.BadRequest), (typeMismatch.ErrorCode, typeMismatch.StatusCode));
        Assert.Equal(("InvalidRequest", HttpStatusCode.BadRequest), (otherAlgorithm.ErrorCode, otherAlgorithm.StatusCode));
        Assert.Equal(("InvalidRequest", HttpStatusCode.BadRequest), (malformed.ErrorCode, malformed.StatusCode));
        Assert.Equal("Value for x-amz-checksum-crc32 header is invalid.", malformed.Message);
        Assert.Equal(("InvalidPart", HttpStatusCode.BadRequest), (wrongPart.ErrorCode, wrongPart.StatusCode));
        Assert.Equal(("InvalidRequest", HttpStatusCode.BadRequest), (missingPart.ErrorCode, missingPart.StatusCode));
        Assert.Contains("must include the checksum for each part", missingPart.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, "refused.bin"));

        var done = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "refused.bin", UploadId = uploadId, PartETags = parts });
        Assert.EndsWith("-2", done.ChecksumCRC32, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_UploadWithoutAlgorithmAndAStatedChecksum_RefusedNotIgnored()
    {
        var data = RandomNumberGenerator.GetBytes(100);
        var uploadId = (await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "none.bin" })).UploadId;
        var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "none.bin", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream(data) });

        var refused = await CompleteErrorAsync("none.bin", uploadId, [new PartETag(1, part.ETag)], r => r.ChecksumCRC32 = ObjectTests.Crc32Base64(data));

        Assert.Equal(("InvalidRequest", HttpStatusCode.BadRequest), (refused.ErrorCode, refused.StatusCode));
    }

    private async Task<AmazonS3Exception> CompleteErrorAsync(string key, string uploadId, List<PartETag> parts, Action<CompleteMultipartUploadRequest> change)
    {
        var request = new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId, PartETags = parts };
        change(request);
        return await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CompleteMultipartUploadAsync(request));
    }

    private Task<(string UploadId, List<PartETag> Parts)> UploadAsync(string key, byte[] data, ChecksumAlgorithm algorithm) =>
        UploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ChecksumAlgorithm = algorithm }, data);

    private async Task<(string UploadId, List<PartETag> Parts)> UploadAsync(InitiateMultipartUploadRequest create, byte[] data)
    {
        var uploadId = (await S3.InitiateMultipartUploadAsync(create)).UploadId;
        var parts = new List<PartETag>();
        for (var (n, offset) = (1, 0); offset < data.Length; n++, offset += PartSize)
        {
            var part = await S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = Bucket,
                Key = create.Key,
                UploadId = uploadId,
                PartNumber = n,
                InputStream = new MemoryStream(data[offset..Math.Min(data.Length, offset + PartSize)]),
                ChecksumAlgorithm = create.ChecksumAlgorithm,
            });
            parts.Add(new PartETag
            {
                PartNumber = n,
                ETag = part.ETag,
                ChecksumCRC32 = part.ChecksumCRC32,
                ChecksumCRC32C = part.ChecksumCRC32C,
                ChecksumCRC64NVME = part.ChecksumCRC64NVME,
                ChecksumSHA1 = part.ChecksumSHA1,
                ChecksumSHA256 = part.ChecksumSHA256,
            });
        }

        return (uploadId, parts);
    }
}

public sealed class TablesMultipartChecksumTests(TablesHost host) : MultipartChecksumTests(host), IClassFixture<TablesHost>;

public sealed class CosmosMultipartChecksumTests(CosmosHost host) : MultipartChecksumTests(host), IClassFixture<CosmosHost>;
