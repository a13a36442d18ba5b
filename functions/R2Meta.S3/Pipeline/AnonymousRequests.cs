using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Services;
using R2Meta.S3.Protocol;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Pipeline;

/// <summary>
/// Requests without a signature (no Authorization header, no presigned query). Nothing here is public, so
/// each is refused; but as S3 does, one addressed to a bucket that does not exist learns so (404
/// NoSuchBucket) rather than 403 AccessDenied: bucket names are global and their existence is no secret
/// (CreateBucket would tell anyone). An anonymous CreateBucket is refused either way.
/// </summary>
public sealed class AnonymousRequests
{
    private readonly BucketService _buckets;

    public AnonymousRequests(BucketService buckets) => _buckets = buckets;

    public static bool IsAnonymous(HttpRequest request, RequestTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.Authorization.Count == 0 && !target.Parameters.Contains("X-Amz-Algorithm");
    }

    /// <summary>Throws the error an anonymous request for <paramref name="operation"/> on <paramref name="address"/> gets.</summary>
    public async Task RefuseAsync(S3Operation operation, S3Address address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Bucket is { } bucket && operation.Name != "CreateBucket" && !await _buckets.ExistsAsync(bucket, cancellationToken).ConfigureAwait(false))
        {
            throw S3Errors.NoSuchBucket.WithDetail("BucketName", bucket).ToException();
        }

        throw S3Errors.AccessDenied.ToException();
    }
}
