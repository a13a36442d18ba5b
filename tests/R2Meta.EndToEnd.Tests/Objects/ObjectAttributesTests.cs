using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.Domain.Services;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>GetObjectAttributes through AWSSDK.S3 v4 (and raw, for the XML itself), per backend.</summary>
public abstract class ObjectAttributesTests : OneBucketTests
{
    private const int PartSize = 5 * 1024 * 1024;
    private static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    protected ObjectAttributesTests(R2MetaHost host)
        : base(host, "attrs")
    {
    }

    [Fact]
    public async Task GetObjectAttributes_SinglePut_EveryAttributeAndNoParts()
    {
        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "one.txt", ContentBody = "hello world!" });

        var attributes = await S3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = Bucket,
            Key = "one.txt",
            ObjectAttributes = [ObjectAttributes.ETag, ObjectAttributes.Checksum, ObjectAttributes.ObjectParts, ObjectAttributes.StorageClass, ObjectAttributes.ObjectSize],
        });

        Assert.Equal(ETags.Unquote(put.ETag), attributes.ETag);
        Assert.Equal("fc3ff98e8c6a0d3087d515c0473f8677", attributes.ETag);
        // AWSSDK.S3 v4 sends a CRC32 with every PUT by default; the object keeps it.
        Assert.Equal(ObjectTests.Crc32Base64("hello world!"u8.ToArray()), attributes.Checksum.ChecksumCRC32);
        Assert.Equal(ChecksumType.FULL_OBJECT, attributes.Checksum.ChecksumType);
        Assert.Null(attributes.ObjectParts);
        Assert.Equal(S3StorageClass.Standard, attributes.StorageClass);
        Assert.Equal(12, attributes.ObjectSize);
        Assert.True(attributes.LastModified > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task GetObjectAttributes_OnlyTheNamedAttributes_AreAnswered()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "some.txt", ContentBody = "abc" });

        var attributes = await S3.GetObjectAttributesAsync(new GetObjectAttributesRequest { BucketName = Bucket, Key = "some.txt", ObjectAttributes = [ObjectAttributes.ObjectSize] });

        Assert.Equal(3, attributes.ObjectSize);
        Assert.Null(attributes.ETag);
        Assert.Null(attributes.Checksum);
        Assert.Null(attributes.StorageClass);
    }

    [Fact]
    public async Task GetObjectAttributes_CompositeMultipart_PagesThePartsWithTheirChecksums()
    {
        var data = RandomNumberGenerator.GetBytes(2 * PartSize + 100);
        var (parts, complete) = await UploadSha256Async("composite.bin", data);

        var first = await S3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = Bucket,
            Key = "composite.bin",
            ObjectAttributes = [ObjectAttributes.Checksum, ObjectAttributes.ObjectParts, ObjectAttributes.ObjectSize],
            MaxParts = 2,
        });
        var rest = await S3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = Bucket,
            Key = "composite.bin",
            ObjectAttributes = [ObjectAttributes.ObjectParts],
            MaxParts = 2,
            PartNumberMarker = first.ObjectParts.NextPartNumberMarker,
        });

        // The same composite value as CompleteMultipartUpload answers, without its "-3" (as S3).
        Assert.Equal(complete.ChecksumSHA256[..^2], first.Checksum.ChecksumSHA256);
        Assert.Equal(ChecksumType.COMPOSITE, first.Checksum.ChecksumType);
        Assert.Equal(data.Length, first.ObjectSize);
        Assert.Equal(3, first.ObjectParts.TotalPartsCount);
        Assert.Equal(2, first.ObjectParts.MaxParts);
        Assert.True(first.ObjectParts.IsTruncated);
        Assert.Equal(2, first.ObjectParts.NextPartNumberMarker);
        Assert.Equal([1, 2], first.ObjectParts.Parts.Select(p => p.PartNumber));
        Assert.Equal([(long)PartSize, PartSize], first.ObjectParts.Parts.Select(p => p.Size));
        Assert.Equal(parts.Take(2).Select(p => p.ChecksumSHA256), first.ObjectParts.Parts.Select(p => p.ChecksumSHA256));
        Assert.False(rest.ObjectParts.IsTruncated);
        Assert.Equal(2, rest.ObjectParts.PartNumberMarker);
        var last = Assert.Single(rest.ObjectParts.Parts);
        Assert.Equal(3, last.PartNumber);
        Assert.Equal(100, last.Size);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(data.AsSpan(2 * PartSize))), last.ChecksumSHA256);
    }

    [Fact]
    public async Task GetObjectAttributes_Raw_AnswersS3sXml()
    {
        var data = RandomNumberGenerator.GetBytes(PartSize + 1);
        await UploadSha256Async("raw.bin", data);

        using var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}/raw.bin?attributes", headers: new Dictionary<string, string>
        {
            ["x-amz-object-attributes"] = "ETag,ObjectParts,StorageClass",
            ["x-amz-max-parts"] = "1",
        });
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal(Ns + "GetObjectAttributesResponse", xml.Name);
        Assert.Equal(["ETag", "ObjectParts", "StorageClass"], xml.Elements().Select(e => e.Name.LocalName));
        Assert.DoesNotContain("\"", xml.Element(Ns + "ETag")!.Value, StringComparison.Ordinal);
        var objectParts = xml.Element(Ns + "ObjectParts")!;
        Assert.Equal(["IsTruncated", "MaxParts", "NextPartNumberMarker", "PartNumberMarker", "Part", "PartsCount"], objectParts.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("true", objectParts.Element(Ns + "IsTruncated")!.Value);
        Assert.Equal("2", objectParts.Element(Ns + "PartsCount")!.Value);
        Assert.Equal(["ChecksumSHA256", "PartNumber", "Size"], objectParts.Element(Ns + "Part")!.Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public async Task GetObjectAttributes_MultipartWithoutChecksum_PartsCountOnly()
    {
        var uploadId = (await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "plain.bin" })).UploadId;
        var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "plain.bin", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream("tiny"u8.ToArray()) });
        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "plain.bin", UploadId = uploadId, PartETags = [new(1, part.ETag)] });

        var attributes = await S3.GetObjectAttributesAsync(new GetObjectAttributesRequest { BucketName = Bucket, Key = "plain.bin", ObjectAttributes = [ObjectAttributes.ObjectParts, ObjectAttributes.ETag] });

        Assert.Equal(1, attributes.ObjectParts.TotalPartsCount);
        Assert.True(attributes.ObjectParts.Parts is null || attributes.ObjectParts.Parts.Count == 0);
        Assert.EndsWith("-1", attributes.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetObjectAttributes_FullObjectMultipart_ChecksumIsTheWholeObjectsCrc()
    {
        var data = RandomNumberGenerator.GetBytes(PartSize + 10);
        var uploadId = (await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "full.bin", ChecksumAlgorithm = ChecksumAlgorithm.CRC64NVME })).UploadId;
        var parts = new List<PartETag>();
        foreach (var (n, slice) in new[] { (1, data[..PartSize]), (2, data[PartSize..]) })
        {
            var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "full.bin", UploadId = uploadId, PartNumber = n, InputStream = new MemoryStream(slice), ChecksumAlgorithm = ChecksumAlgorithm.CRC64NVME });
            parts.Add(new PartETag { PartNumber = n, ETag = part.ETag, ChecksumCRC64NVME = part.ChecksumCRC64NVME });
        }

        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "full.bin", UploadId = uploadId, PartETags = parts });
        var attributes = await S3.GetObjectAttributesAsync(new GetObjectAttributesRequest { BucketName = Bucket, Key = "full.bin", ObjectAttributes = [ObjectAttributes.Checksum, ObjectAttributes.ObjectParts] });

        Assert.Equal(MultipartChecksumTests.Crc64NvmeBase64(data), attributes.Checksum.ChecksumCRC64NVME);
        Assert.Equal(ChecksumType.FULL_OBJECT, attributes.Checksum.ChecksumType);
        Assert.Equal(2, attributes.ObjectParts.TotalPartsCount);
    }

    [Fact]
    public async Task GetObjectAttributes_MissingKeyOrBucket_NoSuchKeyAndNoSuchBucket()
    {
        var key = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAttributesAsync(new GetObjectAttributesRequest { BucketName = Bucket, Key = "nope", ObjectAttributes = [ObjectAttributes.ETag] }));
        var bucket = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAttributesAsync(new GetObjectAttributesRequest { BucketName = Names.Bucket("none"), Key = "k", ObjectAttributes = [ObjectAttributes.ETag] }));

        Assert.Equal(("NoSuchKey", HttpStatusCode.NotFound), (key.ErrorCode, key.StatusCode));
        Assert.Equal(("NoSuchBucket", HttpStatusCode.NotFound), (bucket.ErrorCode, bucket.StatusCode));
    }

    [Theory]
    [InlineData("Bogus")]
    [InlineData(null)]
    public async Task GetObjectAttributes_UnknownOrMissingAttributeName_InvalidArgument(string? names)
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "x.txt", ContentBody = "x" });
        var headers = names is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["x-amz-object-attributes"] = "ETag," + names };

        using var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}/x.txt?attributes", headers: headers);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidArgument", await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task GetObjectAttributes_ReadConditions_AsGet()
    {
        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "cond.txt", ContentBody = "x" });

        using var failed = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}/cond.txt?attributes", headers: new Dictionary<string, string>
        {
            ["x-amz-object-attributes"] = "ETag",
            ["If-Match"] = "\"00000000000000000000000000000000\"",
        });
        using var notModified = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}/cond.txt?attributes", headers: new Dictionary<string, string>
        {
            ["x-amz-object-attributes"] = "ETag",
            ["If-None-Match"] = put.ETag,
        });

        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    private async Task<(List<PartETag> Parts, CompleteMultipartUploadResponse Complete)> UploadSha256Async(string key, byte[] data)
    {
        var uploadId = (await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ChecksumAlgorithm = ChecksumAlgorithm.SHA256 })).UploadId;
        var parts = new List<PartETag>();
        for (var (n, offset) = (1, 0); offset < data.Length; n++, offset += PartSize)
        {
            var slice = data[offset..Math.Min(data.Length, offset + PartSize)];
            var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = key, UploadId = uploadId, PartNumber = n, InputStream = new MemoryStream(slice), ChecksumAlgorithm = ChecksumAlgorithm.SHA256 });
            Assert.Equal(Convert.ToBase64String(SHA256.HashData(slice)), part.ChecksumSHA256);
            parts.Add(new PartETag { PartNumber = n, ETag = part.ETag, ChecksumSHA256 = part.ChecksumSHA256 });
        }

        var complete = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId, PartETags = parts });
        return (parts, complete);
    }
}

public sealed class TablesObjectAttributesTests(TablesHost host) : ObjectAttributesTests(host), IClassFixture<TablesHost>;

public sealed class CosmosObjectAttributesTests(CosmosHost host) : ObjectAttributesTests(host), IClassFixture<CosmosHost>;
