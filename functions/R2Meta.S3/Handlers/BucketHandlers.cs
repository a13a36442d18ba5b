using R2Meta.Domain.Services;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Requests;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.</summary>
public sealed class BucketHandlers
{
    private const long MaxConfigurationBytes = 64 * 1024;
    private readonly BucketService _buckets;

    public BucketHandlers(BucketService buckets) => _buckets = buckets;

    public async Task ListBucketsAsync(S3RequestContext context)
    {
        var query = BucketListQuery.Parse(context.Query("prefix"), context.Query("max-buckets"), context.Query("continuation-token"));
        var (buckets, next) = query.Cut(await _buckets.ListAsync(context.Account, context.Aborted).ConfigureAwait(false));
        var root = S3Xml.E("ListAllMyBucketsResult",
            S3Xml.E("Buckets", buckets.Select(b => S3Xml.E("Bucket",
                S3Xml.E("Name", b.Name),
                S3Xml.E("CreationDate", S3Xml.Timestamp(b.CreatedAt)),
                S3Xml.E("BucketRegion", b.Region)))),
            OwnerXml.Owner(context.Account),
            next is null ? null : S3Xml.E("ContinuationToken", next),
            query.Prefix is null ? null : S3Xml.E("Prefix", query.Prefix));
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task CreateBucketAsync(S3RequestContext context)
    {
        if (context.Header("x-amz-object-ownership") is { } ownership)
        {
            BucketSettingsHandlers.CheckOwnership(ownership, S3Errors.InvalidArgument.With("Invalid x-amz-object-ownership header").WithDetail("ArgumentName", "x-amz-object-ownership"));
        }

        var publicRead = AclHandlers.CannedPublicRead(context);

        // A CreateBucketConfiguration body must be XML; its LocationConstraint picks a metadata cluster by location label.
        string? location = null;
        if (context.Auth.DecodedContentLength is > 0 || context.Request.ContentLength is > 0)
        {
            var document = await S3Xml.ReadAsync(context.Auth.Body, MaxConfigurationBytes, context.Aborted).ConfigureAwait(false);
            if (document.Root?.Name.LocalName != "CreateBucketConfiguration")
            {
                throw S3Errors.MalformedXML.ToException();
            }

            location = document.Root.Elements().FirstOrDefault(e => e.Name.LocalName == "LocationConstraint")?.Value.Trim() is { Length: > 0 } value ? value : null;
        }

        var bucket = (await _buckets.CreateAsync(context.Account, context.Bucket, publicRead, location, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = 200;
        context.Response.Headers.Location = "/" + bucket.Name;
    }

    public async Task HeadBucketAsync(S3RequestContext context)
    {
        var bucket = (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = 200;
        context.Response.Headers["x-amz-bucket-region"] = bucket.Region;
    }

    public async Task DeleteBucketAsync(S3RequestContext context)
    {
        (await _buckets.DeleteAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = 204;
    }

    public async Task GetBucketLocationAsync(S3RequestContext context)
    {
        var bucket = (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        await S3Xml.WriteAsync(context.Response, S3Xml.E("LocationConstraint", bucket.Region), cancellationToken: context.Aborted).ConfigureAwait(false);
    }
}
