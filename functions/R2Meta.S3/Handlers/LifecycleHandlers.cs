using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Services;
using R2Meta.S3.Lifecycle;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>Get/Put/DeleteBucketLifecycleConfiguration; the rules are applied by the lifecycle executor (LifecycleJob).</summary>
public sealed class LifecycleHandlers
{
    private readonly BucketService _buckets;

    public LifecycleHandlers(BucketService buckets) => _buckets = buckets;

    public async Task GetBucketLifecycleConfigurationAsync(S3RequestContext context)
    {
        var bucket = (await _buckets.GetOwnedCurrentAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        var rules = bucket.Lifecycle ?? throw S3Errors.NoSuchLifecycleConfiguration.WithDetail("BucketName", context.Bucket).ToException();
        await S3Xml.WriteAsync(context.Response, LifecycleConfigurationXml.Write(rules), cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task PutBucketLifecycleConfigurationAsync(S3RequestContext context)
    {
        await using var body = ObjectBodyStream.Create(context.Request, context.Auth);
        var document = await S3Xml.ReadAsync(body, LifecycleConfigurationXml.MaxBytes, context.Aborted).ConfigureAwait(false);
        var rules = LifecycleConfigurationXml.Parse(document.Root ?? throw S3Errors.MalformedXML.ToException());
        (await _buckets.SetLifecycleAsync(context.Account, context.Bucket, rules, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>204 whether or not the bucket had a configuration, as in S3.</summary>
    public async Task DeleteBucketLifecycleAsync(S3RequestContext context)
    {
        (await _buckets.SetLifecycleAsync(context.Account, context.Bucket, null, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
