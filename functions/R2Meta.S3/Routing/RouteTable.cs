using System.Collections.Frozen;

namespace R2Meta.S3.Routing;

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
/// Matches a request against the operations, most specific first (the order they are listed in). A request
/// carrying a subresource that its matched operation does not consume is answered 501, never handed to a plainer
/// operation (so <c>GET /b?acl</c> is not ListObjects and <c>PUT /b/k?tagging</c> is not PutObject).
/// </summary>
public sealed class RouteTable
{
    private readonly IReadOnlyList<S3Operation> _operations;

    public RouteTable(IEnumerable<S3Operation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = [.. operations];
        var duplicate = _operations.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Operation '{duplicate.Key}' is listed twice.", nameof(operations));
        }
    }

    public IReadOnlyList<S3Operation> Operations => _operations;

    /// <summary>Query parameters that select an S3 subresource or action (from the S3 API reference).</summary>
    public static FrozenSet<string> Subresources { get; } = new[]
    {
        "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption", "intelligent-tiering",
        "inventory", "legal-hold", "lifecycle", "list-type", "location", "logging", "metadataConfiguration",
        "metadataTable", "metrics", "notification", "object-lock", "ownershipControls", "policy", "policyStatus",
        "publicAccessBlock", "renameObject", "replication", "requestPayment", "restore", "retention", "select",
        "session", "tagging", "torrent", "uploadId", "uploads", "versioning", "versions", "website",
    }.ToFrozenSet(StringComparer.Ordinal);

    public RouteMatch Match(string method, ResourceLevel level, QueryParameters query, Func<string, bool> hasHeader)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(hasHeader);
        var methodKnown = false;
        foreach (var operation in _operations)
        {
            if (operation.Level != level || !string.Equals(operation.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            methodKnown = true;
            if ((operation.Query is not null && !query.Contains(operation.Query))
                || (operation.Query2 is not null && !query.Contains(operation.Query2))
                || (operation.Header is not null && !hasHeader(operation.Header)))
            {
                continue;
            }

            var unconsumed = FirstSubresource(query, operation);
            return unconsumed is null
                ? new RouteMatch(operation, RouteFailure.None)
                : new RouteMatch(null, RouteFailure.NotImplemented, unconsumed);
        }

        var subresource = FirstSubresource(query, null);
        if (subresource is not null)
        {
            return new RouteMatch(null, RouteFailure.NotImplemented, subresource);
        }

        return new RouteMatch(null, methodKnown ? RouteFailure.NotImplemented : RouteFailure.MethodNotAllowed);
    }

    /// <summary>The first subresource parameter <paramref name="operation"/> (if any) does not consume. A loop: this runs on every request.</summary>
    private static string? FirstSubresource(QueryParameters query, S3Operation? operation)
    {
        foreach (var name in query.Names)
        {
            if (Subresources.Contains(name) && name != operation?.Query && name != operation?.Query2)
            {
                return name;
            }
        }

        return null;
    }
}
