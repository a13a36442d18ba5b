using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace R2Meta.S3.Routing;

/// <summary>
/// The path and query exactly as the client sent them (S3 signs the raw path), read once per request by the
/// pipeline; addressing, routing, SigV4 and the handlers' query parameters all come from this one parse.
/// </summary>
public readonly record struct RequestTarget(string Path, string Query)
{
    /// <summary>The query decoded into parameters, once.</summary>
    public QueryParameters Parameters { get; } = QueryParameters.Parse(Query);

    /// <summary>Two targets are the same request target when path and query are; the parse follows from them.</summary>
    public bool Equals(RequestTarget other) => string.Equals(Path, other.Path, StringComparison.Ordinal) && string.Equals(Query, other.Query, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Path, Query);

    public static RequestTarget Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw == "*")
        {
            // No raw target from the host: the decoded path re-escaped.
            return new(request.PathBase.Add(request.Path).ToUriComponent(), request.QueryString.Value?.TrimStart('?') ?? string.Empty);
        }

        // Absolute-form targets (proxies: "GET http://host/b/k") carry scheme and authority before the path.
        if (!raw.StartsWith('/'))
        {
            var schemeEnd = raw.IndexOf("://", StringComparison.Ordinal);
            var pathStart = schemeEnd < 0 ? -1 : raw.IndexOfAny(['/', '?'], schemeEnd + 3);
            raw = pathStart < 0 ? "/" : raw[pathStart] == '?' ? "/" + raw[pathStart..] : raw[pathStart..];
        }

        var question = raw.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? new(raw, string.Empty) : new(raw[..question], raw[(question + 1)..]);
    }
}
