using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>
/// Get/PutBucketVersioning: the state is kept on the bucket record (<see cref="BucketRecord.Versioning"/>). A bucket
/// never versioned answers an empty configuration; once enabled it only moves between Enabled and Suspended.
/// MFA delete needs an MFA device this service does not have: asking to enable it is refused, never ignored.
/// </summary>
public sealed class VersioningHandlers
{
    private const long MaxConfigurationBytes = 64 * 1024;
    private readonly BucketService _buckets;

    public VersioningHandlers(BucketService buckets) => _buckets = buckets;

    public async Task GetBucketVersioningAsync(S3RequestContext context)
    {
        var bucket = (await _buckets.GetOwnedCurrentAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        var root = S3Xml.E("VersioningConfiguration",
            bucket.Versioning switch
            {
                BucketVersioning.Enabled => S3Xml.E("Status", "Enabled"),
                BucketVersioning.Suspended => S3Xml.E("Status", "Suspended"),
                _ => null,
            });
        await S3Xml.WriteAsync(context.Response, root, cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task PutBucketVersioningAsync(S3RequestContext context)
    {
        await using var body = ObjectBodyStream.Create(context.Request, context.Auth);
        var document = await S3Xml.ReadAsync(body, MaxConfigurationBytes, context.Aborted).ConfigureAwait(false);
        if (document.Root is not { } root || root.Name.LocalName != "VersioningConfiguration")
        {
            throw S3Errors.MalformedXML.ToException();
        }

        switch (S3Xml.Child(root, "MfaDelete"))
        {
            case null or "Disabled":
                break;
            case "Enabled":
                throw S3Errors.NotImplemented.With("MFA delete is not supported.").WithDetail("Header", "x-amz-mfa").ToException();
            default:
                throw S3Errors.MalformedXML.ToException();
        }

        var versioning = S3Xml.Child(root, "Status") switch
        {
            "Enabled" => BucketVersioning.Enabled,
            "Suspended" => BucketVersioning.Suspended,
            // S3 accepts a configuration without a Status and changes nothing.
            null => (BucketVersioning?)null,
            _ => throw S3Errors.MalformedXML.ToException(),
        };

        if (versioning is { } state)
        {
            (await _buckets.SetVersioningAsync(context.Account, context.Bucket, state, context.Aborted).ConfigureAwait(false)).OrThrow();
        }
        else
        {
            (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
