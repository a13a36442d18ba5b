using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Accounts;
using R2Meta.S3.Protocol;
using R2Meta.S3.Requests;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Pipeline;

/// <summary>
/// The one place a signed request's key is checked against what its operation needs (the operation table's
/// access column), after authentication and before any handler ran, so a refused request changed nothing.
/// </summary>
public static class AccessCheck
{
    /// <summary>Throws 403 AccessDenied when <paramref name="grant"/> does not allow <paramref name="operation"/> here.</summary>
    public static void Demand(AccessGrant grant, S3Operation operation, S3Address address, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(request);
        var sourceBucket = operation.Access == OperationAccess.ObjectCopy
            ? RequestHeaders.CopySource(request.Headers["x-amz-copy-source"].ToString()).Bucket
            : null;
        if (!grant.Allows(operation.Access, address.Bucket, sourceBucket))
        {
            throw S3Errors.AccessDenied.ToException();
        }
    }
}
