using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Services;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Requests;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>
/// Get/Put/DeleteObjectTagging and Get/Put/DeleteBucketTagging. An object's tags live in its record and change
/// with a write conditioned on the version read (<see cref="ObjectService.SetTagsAsync"/>); a bucket's in its record.
/// </summary>
public sealed class TaggingHandlers
{
    private readonly ObjectService _objects;
    private readonly ObjectReader _reader;
    private readonly BucketService _buckets;

    public TaggingHandlers(ObjectService objects, ObjectReader reader, BucketService buckets)
    {
        _objects = objects;
        _reader = reader;
        _buckets = buckets;
    }

    public async Task GetObjectTaggingAsync(S3RequestContext context)
    {
        var versionId = context.Query("versionId");
        var record = (await _reader.GetRecordAsync(context.Account, context.Bucket, context.Key, versionId, context.Aborted).ConfigureAwait(false)).OrThrow();
        VersionHeaders.WriteRead(context.Response.Headers, record, versionId is not null);
        await S3Xml.WriteAsync(context.Response, TagSets.ToXml(record.Tags ?? []), cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task PutObjectTaggingAsync(S3RequestContext context)
    {
        var versionId = context.Query("versionId");
        var tags = await ReadTagsAsync(context, TagSets.MaxObjectTags).ConfigureAwait(false);
        var record = (await _objects.SetTagsAsync(context.Account, context.Bucket, context.Key, versionId, tags, context.Aborted).ConfigureAwait(false)).OrThrow();
        VersionHeaders.WriteRead(context.Response.Headers, record, versionId is not null);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async Task DeleteObjectTaggingAsync(S3RequestContext context)
    {
        var versionId = context.Query("versionId");
        var record = (await _objects.SetTagsAsync(context.Account, context.Bucket, context.Key, versionId, null, context.Aborted).ConfigureAwait(false)).OrThrow();
        VersionHeaders.WriteRead(context.Response.Headers, record, versionId is not null);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task GetBucketTaggingAsync(S3RequestContext context)
    {
        var bucket = (await _buckets.GetOwnedCurrentAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        var tags = bucket.Tags ?? throw S3Errors.NoSuchTagSet.WithDetail("BucketName", context.Bucket).ToException();
        await S3Xml.WriteAsync(context.Response, TagSets.ToXml(tags), cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    /// <summary>S3 answers 204 No Content to PutBucketTagging.</summary>
    public async Task PutBucketTaggingAsync(S3RequestContext context)
    {
        var tags = await ReadTagsAsync(context, TagSets.MaxBucketTags).ConfigureAwait(false);
        (await _buckets.SetTagsAsync(context.Account, context.Bucket, tags, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task DeleteBucketTaggingAsync(S3RequestContext context)
    {
        (await _buckets.SetTagsAsync(context.Account, context.Bucket, null, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task<IReadOnlyList<Domain.Storage.Tag>> ReadTagsAsync(S3RequestContext context, int maxTags)
    {
        await using var body = ObjectBodyStream.Create(context.Request, context.Auth);
        return await TagSets.ReadXmlAsync(body, maxTags, context.Aborted).ConfigureAwait(false);
    }
}
