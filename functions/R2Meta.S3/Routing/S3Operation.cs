using R2Meta.Domain.Accounts;

namespace R2Meta.S3.Routing;

/// <summary>
/// One S3 operation as routing sees it: its name (what logs, metrics, alerts and the compatibility page record;
/// never renamed) and the requests it answers — method, resource level, and the subresource query parameters
/// and header that select it, and the access the signing key needs (checked once by the pipeline; a required
/// parameter, so a row without one does not compile). The operations and their handlers are listed once, in Handlers/S3Operations.
/// </summary>
/// <param name="SignedInBody">The request is signed in its body (PostObject's form), not in headers or query: the
/// pipeline leaves authentication, and the access check, to the handler.</param>
public sealed record S3Operation(string Name, string Method, ResourceLevel Level, OperationAccess Access, string? Query = null, string? Query2 = null, string? Header = null, bool SignedInBody = false)
{
    public override string ToString() => Name;
}

/// <summary>What a request addresses: the service, a bucket, or an object in a bucket.</summary>
public enum ResourceLevel
{
    Service = 0,
    Bucket = 1,
    Object = 2,
}
