using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>
/// Every content header and x-amz-meta-* through each write that sets or carries them (PUT, CopyObject with
/// COPY and REPLACE, multipart) and each read that returns them (GET, HEAD), per backend.
/// </summary>
public abstract class ContentHeaderTests : OneBucketTests
{
    protected ContentHeaderTests(R2MetaHost host)
        : base(host, "hdr")
    {
    }

    [Fact]
    public async Task Put_EveryContentHeader_GetAndHeadReturnEach()
    {
        await PutEveryHeaderAsync("all.txt", "put");

        await AssertHeadAndGetReturnEachAsync("all.txt", "put");
    }

    [Fact]
    public async Task Copy_CopyDirective_CarriesEveryContentHeader()
    {
        await PutEveryHeaderAsync("source.txt", "source");

        await S3.CopyObjectAsync(CopyOfSource("copied.txt", S3MetadataDirective.COPY));

        var head = await S3.GetObjectMetadataAsync(Bucket, "copied.txt");
        AssertEach(head.Headers, head.Metadata, head.ExpiresString, "source");
    }

    [Fact]
    public async Task Copy_ReplaceDirective_ReplacesEveryContentHeader()
    {
        await PutEveryHeaderAsync("source.txt", "source");
        var copy = CopyOfSource("replaced.txt", S3MetadataDirective.REPLACE);
        Set(copy.Headers, copy.Metadata, "replace");

        await S3.CopyObjectAsync(copy);

        var head = await S3.GetObjectMetadataAsync(Bucket, "replaced.txt");
        AssertEach(head.Headers, head.Metadata, head.ExpiresString, "replace");
        Assert.Null(head.Metadata["tag-source"]);
    }

    [Fact]
    public async Task Copy_ReplaceDirectiveWithOnlyAContentType_DropsTheOtherHeaders()
    {
        await PutEveryHeaderAsync("source.txt", "source");
        var copy = CopyOfSource("bare.txt", S3MetadataDirective.REPLACE);
        copy.ContentType = "text/x-bare";

        await S3.CopyObjectAsync(copy);

        var head = await S3.GetObjectMetadataAsync(Bucket, "bare.txt");
        Assert.Equal("text/x-bare", head.Headers.ContentType);
        Assert.Null(head.Headers.ContentDisposition);
        Assert.Null(head.Headers.ContentLanguage);
        Assert.Null(head.Headers.CacheControl);
        Assert.Null(head.ExpiresString);
        Assert.Empty(head.Metadata.Keys);
    }

    [Fact]
    public async Task Multipart_EveryContentHeaderOfTheCreate_IsTheCompletedObjects()
    {
        var create = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "multi.bin" };
        Set(create.Headers, create.Metadata, "multi");
        var uploadId = (await S3.InitiateMultipartUploadAsync(create)).UploadId;
        var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "multi.bin", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream("one part"u8.ToArray()) });

        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = "multi.bin",
            UploadId = uploadId,
            PartETags = [new PartETag(1, part.ETag)],
        });

        await AssertHeadAndGetReturnEachAsync("multi.bin", "multi");
    }

    [Fact]
    public async Task Get_EveryResponseOverride_ReplacesItsStoredHeader()
    {
        await PutEveryHeaderAsync("over.txt", "stored");
        var request = new GetObjectRequest { BucketName = Bucket, Key = "over.txt" };
        request.ResponseHeaderOverrides.ContentType = "application/x-over";
        request.ResponseHeaderOverrides.ContentEncoding = "x-over";
        request.ResponseHeaderOverrides.ContentDisposition = "inline; filename=\"over\"";
        request.ResponseHeaderOverrides.ContentLanguage = "de";
        request.ResponseHeaderOverrides.CacheControl = "no-store";
        request.ResponseHeaderOverrides.Expires = "Fri, 01 Jan 2100 00:00:00 GMT";

        using var get = await S3.GetObjectAsync(request);

        Assert.Equal("application/x-over", get.Headers.ContentType);
        Assert.Equal("x-over", get.Headers.ContentEncoding);
        Assert.Equal("inline; filename=\"over\"", get.Headers.ContentDisposition);
        Assert.Equal("de", get.Headers.ContentLanguage);
        Assert.Equal("no-store", get.Headers.CacheControl);
        Assert.Equal("Fri, 01 Jan 2100 00:00:00 GMT", get.ExpiresString);
        Assert.Equal("stored", get.Metadata["tag-stored"]);
    }

    private static readonly DateTime Expires = new(2094, 12, 1, 16, 0, 0, DateTimeKind.Utc);

    private static void Set(HeadersCollection headers, MetadataCollection metadata, string tag)
    {
        headers.ContentType = $"text/x-{tag}; charset=utf-8";
        headers.ContentEncoding = $"x-{tag}";
        headers.ContentDisposition = $"attachment; filename=\"{tag} file.txt\"";
        headers.ContentLanguage = $"en-{tag}";
        headers.CacheControl = $"max-age=60, {tag}";
        headers.Expires = Expires;
        metadata.Add("tag-" + tag, tag);
        metadata.Add("Mixed-Case", $"{tag} value");
    }

    private static void AssertEach(HeadersCollection headers, MetadataCollection metadata, string? expires, string tag)
    {
        Assert.Equal($"text/x-{tag}; charset=utf-8", headers.ContentType);
        Assert.Equal($"x-{tag}", headers.ContentEncoding);
        Assert.Equal($"attachment; filename=\"{tag} file.txt\"", headers.ContentDisposition);
        Assert.Equal($"en-{tag}", headers.ContentLanguage);
        Assert.Equal($"max-age=60, {tag}", headers.CacheControl);
        Assert.Equal("Wed, 01 Dec 2094 16:00:00 GMT", expires);
        Assert.Equal(tag, metadata["tag-" + tag]);
        Assert.Equal($"{tag} value", metadata["mixed-case"]);
        Assert.Equal(2, metadata.Count);
    }

    private async Task AssertHeadAndGetReturnEachAsync(string key, string tag)
    {
        var head = await S3.GetObjectMetadataAsync(Bucket, key);
        using var get = await S3.GetObjectAsync(Bucket, key);
        AssertEach(head.Headers, head.Metadata, head.ExpiresString, tag);
        AssertEach(get.Headers, get.Metadata, get.ExpiresString, tag);
    }

    private CopyObjectRequest CopyOfSource(string destinationKey, S3MetadataDirective directive) => new()
    {
        SourceBucket = Bucket,
        SourceKey = "source.txt",
        DestinationBucket = Bucket,
        DestinationKey = destinationKey,
        MetadataDirective = directive,
    };

    private Task PutEveryHeaderAsync(string key, string tag)
    {
        var put = new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "body of " + key };
        Set(put.Headers, put.Metadata, tag);
        return S3.PutObjectAsync(put);
    }
}

public sealed class TablesContentHeaderTests(TablesHost host) : ContentHeaderTests(host), IClassFixture<TablesHost>;

public sealed class CosmosContentHeaderTests(CosmosHost host) : ContentHeaderTests(host), IClassFixture<CosmosHost>;
