using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace R2Meta.S3.Routing;

/// <summary>
/// The path and query exactly as the client sent them (S3 signs the raw path), read once per request by the
/// pipeline; addressing, routing and SigV4 all use this one parse.
/// </summary>
public readonly record struct RequestTarget(string Path, string Query)
{
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
