using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Services;
using R2Meta.S3.Auth;
using R2Meta.S3.Protocol;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Pipeline;

/// <summary>
/// Requests without a signature (no Authorization header, no presigned query). GetObject and HeadObject on a
/// bucket whose canned ACL is public-read are let in (as R2's public buckets: no anonymous listing, no anonymous
/// write); every other is refused. As S3 does, one addressed to a bucket that does not exist learns so (404
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

    /// <summary>
    /// The identity an anonymous request for <paramref name="operation"/> on <paramref name="address"/> acts as: a
    /// read of a public-read bucket's object acts for the bucket's owner (the handlers check ownership and nothing
    /// else); anything else throws the error it gets.
    /// </summary>
    public async Task<AuthResult> AdmitAsync(S3Operation operation, S3Address address, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(request);
        if (address.Bucket is not { } name || operation.Name == "CreateBucket")
        {
            throw S3Errors.AccessDenied.ToException();
        }

        var bucket = await _buckets.FindAnyAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw S3Errors.NoSuchBucket.WithDetail("BucketName", name).ToException();
        if (!bucket.PublicRead || operation.Name is not ("GetObject" or "HeadObject"))
        {
            throw S3Errors.AccessDenied.ToException();
        }

        var owner = new Account(string.Empty, string.Empty, bucket.OwnerId, string.Empty);
        return new AuthResult(owner, PayloadMode.Empty, request.Body, request.ContentLength ?? 0, null);
    }
}
