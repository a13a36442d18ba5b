using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>CopyObject within and across buckets, metadata directives and source conditions, per backend.</summary>
public abstract class CopyTests : IAsyncLifetime
{
    private readonly AmazonS3Client _s3;
    private readonly string _source = Names.Bucket("src");
    private readonly string _target = Names.Bucket("dst");

    protected CopyTests(R2MetaHost host) => _s3 = S3Clients.PathStyle(host);

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_source);
        await _s3.PutBucketAsync(_target);
        var put = new PutObjectRequest { BucketName = _source, Key = "original.txt", ContentBody = "copy me", ContentType = "text/plain" };
        put.Metadata.Add("origin", "source");
        await _s3.PutObjectAsync(put);
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Copy_AcrossBuckets_CopiesBytesAndMetadata()
    {
        var copy = await _s3.CopyObjectAsync(_source, "original.txt", _target, "copied.txt");
        var head = await _s3.GetObjectMetadataAsync(_target, "copied.txt");
        Assert.Equal(copy.ETag, head.ETag);
        Assert.Equal("source", head.Metadata["origin"]);
        Assert.Equal("text/plain", head.Headers.ContentType);
        Assert.Equal("copy me", await ReadAsync(_target, "copied.txt"));
    }

    [Fact]
    public async Task Copy_ReplaceDirective_ReplacesMetadata()
    {
        var request = new CopyObjectRequest
        {
            SourceBucket = _source,
            SourceKey = "original.txt",
            DestinationBucket = _source,
            DestinationKey = "replaced.txt",
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = "application/x-new",
        };
        request.Metadata.Add("fresh", "yes");
        await _s3.CopyObjectAsync(request);
        var head = await _s3.GetObjectMetadataAsync(_source, "replaced.txt");
        Assert.Equal("yes", head.Metadata["fresh"]);
        Assert.Null(head.Metadata["origin"]);
        Assert.Equal("application/x-new", head.Headers.ContentType);
    }

    [Fact]
    public async Task Copy_OntoItselfWithoutChange_InvalidRequest_WithReplace_Succeeds()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(_source, "original.txt", _source, "original.txt"));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("InvalidRequest", e.ErrorCode);

        var request = new CopyObjectRequest
        {
            SourceBucket = _source,
            SourceKey = "original.txt",
            DestinationBucket = _source,
            DestinationKey = "original.txt",
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = "text/plain",
        };
        request.Metadata.Add("origin", "source");
        request.Metadata.Add("touched", "1");
        await _s3.CopyObjectAsync(request);
        var head = await _s3.GetObjectMetadataAsync(_source, "original.txt");
        Assert.Equal("1", head.Metadata["touched"]);
        Assert.Equal("copy me", await ReadAsync(_source, "original.txt"));
    }

    [Fact]
    public async Task Copy_SourceConditions_412WhenTheyFail()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _source,
            SourceKey = "original.txt",
            DestinationBucket = _target,
            DestinationKey = "cond.txt",
            ETagToMatch = "\"not-the-etag\"",
        }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, e.StatusCode);

        var source = await _s3.GetObjectMetadataAsync(_source, "original.txt");
        var none = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _source,
            SourceKey = "original.txt",
            DestinationBucket = _target,
            DestinationKey = "cond.txt",
            ETagToNotMatch = source.ETag,
        }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, none.StatusCode);
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(_target, "cond.txt"));

        await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _source,
            SourceKey = "original.txt",
            DestinationBucket = _target,
            DestinationKey = "cond.txt",
            ETagToMatch = source.ETag,
        });
        Assert.Equal("copy me", await ReadAsync(_target, "cond.txt"));
    }

    [Fact]
    public async Task Copy_MissingSource_NoSuchKey()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(_source, "no-such-source", _target, "x"));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("NoSuchKey", e.ErrorCode);
    }

    private async Task<string> ReadAsync(string bucket, string key)
    {
        using var get = await _s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(get.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}

public sealed class TablesCopyTests(TablesHost host) : CopyTests(host), IClassFixture<TablesHost>;

public sealed class CosmosCopyTests(CosmosHost host) : CopyTests(host), IClassFixture<CosmosHost>;
