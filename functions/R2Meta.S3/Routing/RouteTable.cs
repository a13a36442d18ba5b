using System.Collections.Frozen;

namespace R2Meta.S3.Routing;

/// <summary>One row of the route table: a request matches when method and level agree and the
/// required subresource query parameter and header (if any) are present.</summary>
public sealed record Route(string Method, ResourceLevel Level, S3Operation Operation, string? Query = null, string? Query2 = null, string? Header = null);

/// <summary>The outcome of routing: an operation, or why none matched.</summary>
public readonly record struct RouteMatch(S3Operation? Operation, RouteFailure Failure, string? Subresource = null);

public enum RouteFailure
{
    None = 0,
    /// <summary>The request names an S3 subresource this service does not implement → 501.</summary>
    NotImplemented = 1,
    /// <summary>No operation for this method on this kind of resource → 405.</summary>
    MethodNotAllowed = 2,
}

/// <summary>
/// The S3 route table, most specific first. A request carrying a subresource that its matched route
/// does not consume is answered 501, never handed to a plainer operation (so <c>GET /b?acl</c> is not
/// ListObjects and <c>PUT /b/k?tagging</c> is not PutObject).
/// </summary>
public static class RouteTable
{
    public static IReadOnlyList<Route> Routes { get; } =
    [
        new("GET", ResourceLevel.Service, S3Operation.ListBuckets),

        new("GET", ResourceLevel.Bucket, S3Operation.GetBucketLocation, Query: "location"),
        new("GET", ResourceLevel.Bucket, S3Operation.ListMultipartUploads, Query: "uploads"),
        new("GET", ResourceLevel.Bucket, S3Operation.GetBucketEncryption, Query: "encryption"),
        new("PUT", ResourceLevel.Bucket, S3Operation.PutBucketEncryption, Query: "encryption"),
        new("DELETE", ResourceLevel.Bucket, S3Operation.DeleteBucketEncryption, Query: "encryption"),
        new("GET", ResourceLevel.Bucket, S3Operation.GetBucketOwnershipControls, Query: "ownershipControls"),
        new("PUT", ResourceLevel.Bucket, S3Operation.PutBucketOwnershipControls, Query: "ownershipControls"),
        new("DELETE", ResourceLevel.Bucket, S3Operation.DeleteBucketOwnershipControls, Query: "ownershipControls"),
        new("GET", ResourceLevel.Bucket, S3Operation.ListObjectVersions, Query: "versions"),
        new("GET", ResourceLevel.Bucket, S3Operation.ListObjectsV2, Query: "list-type"),
        new("GET", ResourceLevel.Bucket, S3Operation.ListObjects),
        new("PUT", ResourceLevel.Bucket, S3Operation.CreateBucket),
        new("HEAD", ResourceLevel.Bucket, S3Operation.HeadBucket),
        new("DELETE", ResourceLevel.Bucket, S3Operation.DeleteBucket),
        new("POST", ResourceLevel.Bucket, S3Operation.DeleteObjects, Query: "delete"),

        new("PUT", ResourceLevel.Object, S3Operation.UploadPartCopy, Query: "uploadId", Query2: "partNumber", Header: "x-amz-copy-source"),
        new("PUT", ResourceLevel.Object, S3Operation.UploadPart, Query: "uploadId", Query2: "partNumber"),
        new("PUT", ResourceLevel.Object, S3Operation.CopyObject, Header: "x-amz-copy-source"),
        new("PUT", ResourceLevel.Object, S3Operation.PutObject),
        new("GET", ResourceLevel.Object, S3Operation.ListParts, Query: "uploadId"),
        new("GET", ResourceLevel.Object, S3Operation.GetObject),
        new("HEAD", ResourceLevel.Object, S3Operation.HeadObject),
        new("POST", ResourceLevel.Object, S3Operation.CreateMultipartUpload, Query: "uploads"),
        new("POST", ResourceLevel.Object, S3Operation.CompleteMultipartUpload, Query: "uploadId"),
        new("DELETE", ResourceLevel.Object, S3Operation.AbortMultipartUpload, Query: "uploadId"),
        new("DELETE", ResourceLevel.Object, S3Operation.DeleteObject),
    ];

    /// <summary>Query parameters that select an S3 subresource or action (from the S3 API reference).</summary>
    public static FrozenSet<string> Subresources { get; } = new[]
    {
        "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption", "intelligent-tiering",
        "inventory", "legal-hold", "lifecycle", "list-type", "location", "logging", "metadataConfiguration",
        "metadataTable", "metrics", "notification", "object-lock", "ownershipControls", "policy", "policyStatus",
        "publicAccessBlock", "renameObject", "replication", "requestPayment", "restore", "retention", "select",
        "session", "tagging", "torrent", "uploadId", "uploads", "versioning", "versions", "website",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static RouteMatch Match(string method, ResourceLevel level, Func<string, bool> hasQuery, Func<string, bool> hasHeader, IEnumerable<string> queryNames)
    {
        var methodKnown = false;
        foreach (var route in Routes)
        {
            if (route.Level != level || !string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            methodKnown = true;
            if ((route.Query is not null && !hasQuery(route.Query))
                || (route.Query2 is not null && !hasQuery(route.Query2))
                || (route.Header is not null && !hasHeader(route.Header)))
            {
                continue;
            }

            var unconsumed = queryNames.FirstOrDefault(q => Subresources.Contains(q) && q != route.Query && q != route.Query2);
            return unconsumed is null
                ? new RouteMatch(route.Operation, RouteFailure.None)
                : new RouteMatch(null, RouteFailure.NotImplemented, unconsumed);
        }

        var subresource = queryNames.FirstOrDefault(Subresources.Contains);
        if (subresource is not null)
        {
            return new RouteMatch(null, RouteFailure.NotImplemented, subresource);
        }

        return new RouteMatch(null, methodKnown ? RouteFailure.NotImplemented : RouteFailure.MethodNotAllowed);
    }
}
