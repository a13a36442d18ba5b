using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>
/// Storage classes through AWSSDK.S3 (issue #21): STANDARD and STANDARD_IA (R2's Infrequent Access) on PutObject,
/// CopyObject, multipart uploads and PostObject; what HEAD, GET, the listings and GetObjectAttributes report; the
/// blob's access tier as Azurite reports it (Hot, Cool); any other class refused. Both backends.
/// </summary>
public abstract class StorageClassTests : OneBucketTests
{
    private const int PartSize = 5 * 1024 * 1024;
    private const string StorageClassHeader = "x-amz-storage-class";

    protected StorageClassTests(R2MetaHost host)
        : base(host, "sc")
    {
    }

    [Fact]
    public async Task PutObject_StandardIa_HeadGetAndListingsReportItAndTheBlobIsCool()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "ia", ContentBody = "cold", StorageClass = S3StorageClass.StandardInfrequentAccess });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "std", ContentBody = "hot", StorageClass = S3StorageClass.Standard });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "plain", ContentBody = "hot" });

        var head = await S3.GetObjectMetadataAsync(Bucket, "ia");
        using var get = await S3.GetObjectAsync(Bucket, "ia");
        using var rawHeadIa = await RawRequests.SendSignedAsync(Host, HttpMethod.Head, $"/{Bucket}/ia");
        using var rawHeadStandard = await RawRequests.SendSignedAsync(Host, HttpMethod.Head, $"/{Bucket}/std");
        using var rawGetStandard = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}/plain");
        var v2 = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        var v1 = await S3.ListObjectsAsync(new ListObjectsRequest { BucketName = Bucket });
        var versions = await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket });
        var attributes = await S3.GetObjectAttributesAsync(new GetObjectAttributesRequest { BucketName = Bucket, Key = "ia", ObjectAttributes = [ObjectAttributes.StorageClass] });

        Assert.Equal(S3StorageClass.StandardInfrequentAccess, head.StorageClass);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, get.StorageClass);
        Assert.Equal("STANDARD_IA", Assert.Single(rawHeadIa.Headers.GetValues(StorageClassHeader)));
        // S3 leaves the header out for STANDARD.
        Assert.False(rawHeadStandard.Headers.Contains(StorageClassHeader));
        Assert.False(rawGetStandard.Headers.Contains(StorageClassHeader));
        var expected = new[] { ("ia", "STANDARD_IA"), ("plain", "STANDARD"), ("std", "STANDARD") };
        Assert.Equal(expected, v2.S3Objects.Select(o => (o.Key, o.StorageClass.Value)));
        Assert.Equal(expected, v1.S3Objects.Select(o => (o.Key, o.StorageClass.Value)));
        Assert.Equal(expected, versions.Versions.Select(v => (v.Key, v.StorageClass.Value)));
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, attributes.StorageClass);
        Assert.Equal(BlobAccessTier.Cool, await BlobTierAsync("ia"));
        Assert.Equal(BlobAccessTier.Hot, await BlobTierAsync("std"));
        Assert.Equal(BlobAccessTier.Hot, await BlobTierAsync("plain"));
    }

    [Fact]
    public async Task PutObject_StandardIaOverwrittenByStandard_ClassAndTierFollowTheNewWrite()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "o", ContentBody = "1", StorageClass = S3StorageClass.StandardInfrequentAccess });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "o", ContentBody = "2" });

        var head = await S3.GetObjectMetadataAsync(Bucket, "o");

        Assert.Null(head.StorageClass);
        Assert.Equal(BlobAccessTier.Hot, await BlobTierAsync("o"));
    }

    [Fact]
    public async Task Multipart_StandardIa_UploadListingsAndCompletedObjectReportItAndTheBlobIsCool()
    {
        var create = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "mp", StorageClass = S3StorageClass.StandardInfrequentAccess });
        var part1 = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "mp", UploadId = create.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[PartSize]) });
        var part2 = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "mp", UploadId = create.UploadId, PartNumber = 2, InputStream = new MemoryStream(new byte[10]) });
        var uploads = await S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket });
        var parts = await S3.ListPartsAsync(new ListPartsRequest { BucketName = Bucket, Key = "mp", UploadId = create.UploadId });
        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "mp", UploadId = create.UploadId,
            PartETags = [new PartETag(1, part1.ETag), new PartETag(2, part2.ETag)],
        });

        var head = await S3.GetObjectMetadataAsync(Bucket, "mp");
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });

        Assert.Equal(S3StorageClass.StandardInfrequentAccess, Assert.Single(uploads.MultipartUploads).StorageClass);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, parts.StorageClass);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, head.StorageClass);
        Assert.Equal(PartSize + 10, head.ContentLength);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, Assert.Single(listed.S3Objects).StorageClass);
        Assert.Equal(BlobAccessTier.Cool, await BlobTierAsync("mp"));
    }

    [Fact]
    public async Task CopyObject_ClassIsTheRequestedOneOrStandard_NotTheSources()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "src-ia", ContentBody = "bytes", StorageClass = S3StorageClass.StandardInfrequentAccess });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "src-std", ContentBody = "bytes" });

        await S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "src-ia", DestinationBucket = Bucket, DestinationKey = "ia-to-default" });
        await S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "src-std", DestinationBucket = Bucket, DestinationKey = "std-to-ia", StorageClass = S3StorageClass.StandardInfrequentAccess });

        var toDefault = await S3.GetObjectMetadataAsync(Bucket, "ia-to-default");
        var toIa = await S3.GetObjectMetadataAsync(Bucket, "std-to-ia");

        Assert.Null(toDefault.StorageClass);
        Assert.Equal(BlobAccessTier.Hot, await BlobTierAsync("ia-to-default"));
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, toIa.StorageClass);
        Assert.Equal(BlobAccessTier.Cool, await BlobTierAsync("std-to-ia"));
        Assert.Equal("bytes", await ReadAsync("std-to-ia"));
    }

    [Fact]
    public async Task CopyObject_OntoItselfWithAnotherClass_ChangesClassAndTierAndKeepsBytesAndMetadata()
    {
        var put = new PutObjectRequest { BucketName = Bucket, Key = "self", ContentBody = "same bytes", ContentType = "text/plain" };
        put.Metadata.Add("origin", "first");
        await S3.PutObjectAsync(put);

        await S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "self", DestinationBucket = Bucket, DestinationKey = "self", StorageClass = S3StorageClass.StandardInfrequentAccess });
        var toIa = await S3.GetObjectMetadataAsync(Bucket, "self");
        var tierIa = await BlobTierAsync("self");
        await S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "self", DestinationBucket = Bucket, DestinationKey = "self", StorageClass = S3StorageClass.Standard });
        var back = await S3.GetObjectMetadataAsync(Bucket, "self");

        Assert.Equal(S3StorageClass.StandardInfrequentAccess, toIa.StorageClass);
        Assert.Equal("first", toIa.Metadata["origin"]);
        Assert.Equal("text/plain", toIa.Headers.ContentType);
        Assert.Equal(BlobAccessTier.Cool, tierIa);
        Assert.Null(back.StorageClass);
        Assert.Equal(BlobAccessTier.Hot, await BlobTierAsync("self"));
        Assert.Equal("same bytes", await ReadAsync("self"));
    }

    [Fact]
    public async Task CopyObject_OntoItselfWithTheSameClassOrNone_InvalidRequest()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "same", ContentBody = "x", StorageClass = S3StorageClass.StandardInfrequentAccess });

        var same = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket, SourceKey = "same", DestinationBucket = Bucket, DestinationKey = "same", StorageClass = S3StorageClass.StandardInfrequentAccess,
        }));
        var none = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket, SourceKey = "same", DestinationBucket = Bucket, DestinationKey = "same",
        }));
        var head = await S3.GetObjectMetadataAsync(Bucket, "same");

        Assert.Equal(("InvalidRequest", HttpStatusCode.BadRequest), (same.ErrorCode, same.StatusCode));
        Assert.Equal(("InvalidRequest", HttpStatusCode.BadRequest), (none.ErrorCode, none.StatusCode));
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, head.StorageClass);
    }

    [Theory]
    [InlineData("GLACIER")]
    [InlineData("REDUCED_REDUNDANCY")]
    [InlineData("BOGUS")]
    public async Task OtherClass_PutCopyAndCreateMultipart_InvalidStorageClassAndNothingWritten(string storageClass)
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "existing", ContentBody = "x" });

        var put = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "put", ContentBody = "x", StorageClass = new S3StorageClass(storageClass) }));
        var copy = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket, SourceKey = "existing", DestinationBucket = Bucket, DestinationKey = "copy", StorageClass = new S3StorageClass(storageClass),
        }));
        var create = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "mp", StorageClass = new S3StorageClass(storageClass) }));
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        var uploads = await S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket });

        foreach (var refused in new[] { put, copy, create })
        {
            Assert.Equal(("InvalidStorageClass", HttpStatusCode.BadRequest), (refused.ErrorCode, refused.StatusCode));
        }

        Assert.Equal(["existing"], listed.S3Objects.Select(o => o.Key));
        Assert.Empty(uploads.MultipartUploads ?? []);
    }

    [Fact]
    public async Task PutObject_ClassInLowerCase_InvalidStorageClass()
    {
        // Sent raw: the SDK would correct the case of a class it knows.
        using var put = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}/lower", new ByteArrayContent("x"u8.ToArray()), new Dictionary<string, string> { [StorageClassHeader] = "standard_ia" });
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("InvalidStorageClass", await RawRequests.ErrorCodeAsync(put));
        Assert.Empty(listed.S3Objects ?? []);
    }

    [Fact]
    public async Task PostObject_StorageClassField_StoredAndTheBlobIsCool()
    {
        var fields = PostForms.Sign(
            [new("key", "posted"), new(StorageClassHeader, "STANDARD_IA")],
            [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "posted"}""", """{"x-amz-storage-class": "STANDARD_IA"}"""]);

        using var response = await PostForms.PostAsync(PostForms.BucketUrl(Host, Bucket), fields, new MemoryStream("form"u8.ToArray()));
        var head = await S3.GetObjectMetadataAsync(Bucket, "posted");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, head.StorageClass);
        Assert.Equal(BlobAccessTier.Cool, await BlobTierAsync("posted"));
    }

    [Fact]
    public async Task PostObject_OtherStorageClassField_InvalidStorageClassAndNothingWritten()
    {
        var fields = PostForms.Sign(
            [new("key", "posted"), new(StorageClassHeader, "GLACIER")],
            [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "posted"}""", """{"x-amz-storage-class": "GLACIER"}"""]);

        using var response = await PostForms.PostAsync(PostForms.BucketUrl(Host, Bucket), fields, new MemoryStream("form"u8.ToArray()));
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidStorageClass", await RawRequests.ErrorCodeAsync(response));
        Assert.Empty(listed.S3Objects ?? []);
    }

    /// <summary>The access tier Azurite reports for the blob the key's current object names.</summary>
    private async Task<BlobAccessTier> BlobTierAsync(string key)
    {
        var record = await Host.Metadata.GetObjectAsync(Bucket, key);
        Assert.True(record.IsOk, $"{key}: {record.Status}");
        var tier = await Host.Blobs.GetAccessTierAsync(record.Value!.BlobName);
        Assert.True(tier.IsOk, $"{key}'s blob: {tier.Status}");
        return tier.Value;
    }

    private async Task<string> ReadAsync(string key)
    {
        using var get = await S3.GetObjectAsync(Bucket, key);
        using var reader = new StreamReader(get.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}

public sealed class TablesStorageClassTests(TablesHost host) : StorageClassTests(host), IClassFixture<TablesHost>;

public sealed class CosmosStorageClassTests(CosmosHost host) : StorageClassTests(host), IClassFixture<CosmosHost>;
