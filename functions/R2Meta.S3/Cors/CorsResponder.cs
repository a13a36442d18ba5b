using System.Globalization;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Cors;
using R2Meta.Domain.Services;
using R2Meta.S3.Protocol;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Cors;

/// <summary>
/// CORS as S3 answers it, from the bucket's rules (PutBucketCors): OPTIONS preflights, unauthenticated and
/// answered before routing; and the Access-Control-* headers of actual requests that carry an Origin, kept on
/// error answers too (<see cref="CorsHeaders"/>) so a page can read why its request failed.
/// </summary>
public sealed class CorsResponder
{
    private const string Vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
    private readonly BucketService _buckets;

    public CorsResponder(BucketService buckets) => _buckets = buckets;

    /// <summary>Answers the OPTIONS request: 200 with the matching rule's headers, or throws S3's error.</summary>
    public async Task PreflightAsync(HttpContext http, S3Address address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(address);
        var request = http.Request;
        if (request.Headers.Origin.Count == 0)
        {
            throw S3Errors.BadRequestNoOrigin.ToException();
        }

        var method = request.Headers.AccessControlRequestMethod.ToString();
        if (method.Length == 0)
        {
            throw S3Errors.BadRequestNoRequestMethod.ToException();
        }

        if (address.Bucket is not { } name)
        {
            throw S3Errors.AccessForbiddenCors.ToException();
        }

        var bucket = await _buckets.FindAnyAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw S3Errors.AccessForbiddenCorsNoBucket.ToException();
        if (bucket.Cors is null)
        {
            throw S3Errors.AccessForbiddenCors.ToException();
        }

        var origin = request.Headers.Origin.ToString();
        var requested = RequestedHeaders(request.Headers.AccessControlRequestHeaders.ToString());
        var rule = CorsMatcher.Match(bucket.Cors, origin, method, requested)
            ?? throw S3Errors.AccessForbiddenCorsRequest.ToException();

        var headers = http.Response.Headers;
        Allow(headers, rule, origin);
        if (requested.Count > 0)
        {
            headers.AccessControlAllowHeaders = string.Join(", ", requested);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// For a request with an Origin on a bucket: sets the headers of the rule matching its origin and method
    /// (none when no rule does) and remembers them for an error answer. Every such answer varies by Origin.
    /// </summary>
    public async Task ApplyAsync(HttpContext http, S3Address address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(address);
        var request = http.Request;
        if (request.Headers.Origin.Count == 0 || address.Bucket is not { } name)
        {
            return;
        }

        IHeaderDictionary headers = new HeaderDictionary();
        headers.Vary = Vary;
        var bucket = await _buckets.FindAnyAsync(name, cancellationToken).ConfigureAwait(false);
        var origin = request.Headers.Origin.ToString();
        if (CorsMatcher.Match(bucket?.Cors, origin, request.Method, []) is { } rule)
        {
            Allow(headers, rule, origin);
        }

        CorsHeaders.Keep(http, headers);
    }

    private static void Allow(IHeaderDictionary headers, CorsRule rule, string origin)
    {
        var anyOrigin = rule.AllowedOrigins.Contains("*");
        headers.AccessControlAllowOrigin = anyOrigin ? "*" : origin;
        headers.AccessControlAllowMethods = string.Join(", ", rule.AllowedMethods);
        if (!anyOrigin)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (rule.ExposeHeaders.Count > 0)
        {
            headers.AccessControlExposeHeaders = string.Join(", ", rule.ExposeHeaders);
        }

        if (rule.MaxAgeSeconds is { } age)
        {
            headers.AccessControlMaxAge = age.ToString(CultureInfo.InvariantCulture);
        }

        headers.Vary = Vary;
    }

    /// <summary>Access-Control-Request-Headers: a comma-separated list of names, compared case-insensitively.</summary>
    public static IReadOnlyList<string> RequestedHeaders(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => h.ToLowerInvariant()).ToList();
}
