using Microsoft.AspNetCore.Http;

namespace R2Meta.S3.Cors;

/// <summary>
/// The CORS headers decided for one request, kept as a request feature: the response is set with them at once,
/// and <see cref="Pipeline.ErrorWriter"/>, which clears a failed response, sets them again.
/// </summary>
public sealed class CorsHeaders
{
    private readonly IHeaderDictionary _headers;

    private CorsHeaders(IHeaderDictionary headers) => _headers = headers;

    public static void Keep(HttpContext http, IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(http);
        var kept = new CorsHeaders(headers);
        http.Features.Set(kept);
        kept.ApplyTo(http.Response);
    }

    /// <summary>Sets the kept headers (if any) on the response again, e.g. after it was cleared for an error.</summary>
    public static void Reapply(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Features.Get<CorsHeaders>()?.ApplyTo(http.Response);
    }

    private void ApplyTo(HttpResponse response)
    {
        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }
    }
}
