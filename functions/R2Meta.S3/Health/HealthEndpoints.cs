using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Health;

/// <summary>
/// Liveness and readiness for load balancers and the Functions platform, served by the S3 pipeline before
/// routing, unauthenticated. "_" cannot appear in a bucket name, so no path-style bucket collides with
/// these paths; a Host naming a bucket (virtual-hosted style) always goes to S3.
/// </summary>
public sealed class HealthEndpoints
{
    public const string LivePath = "/_r2meta/health/live";
    public const string ReadyPath = "/_r2meta/health/ready";

    /// <summary>Probes run in parallel; a store that has not answered by then counts as down, so the answer stays prompt.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IReadOnlyList<ReadinessCheck> _checks;
    private readonly string _baseDomain;
    private readonly ILogger<HealthEndpoints> _logger;

    public HealthEndpoints(IEnumerable<ReadinessCheck> checks, S3Options options, ILogger<HealthEndpoints> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _checks = [.. checks];
        _baseDomain = options.BaseDomain;
        _logger = logger;
    }

    public bool Matches(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        return request.Path.Value is LivePath or ReadyPath
            && S3Address.BucketFromHost(request.Headers.Host.ToString(), _baseDomain) is null;
    }

    public async Task ServeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var ready = http.Request.Path.Value == ReadyPath;
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        var healthy = !ready || await ProbeAllAsync(checks, http.RequestAborted).ConfigureAwait(false);

        var response = http.Response;
        response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return;
        }

        var status = (ready, healthy) switch
        {
            (false, _) => "live",
            (true, true) => "ready",
            (true, false) => "unavailable",
        };
        var body = ready ? (object)new ReadinessReport(status, checks) : new LivenessReport(status);
        await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), Json, http.RequestAborted).ConfigureAwait(false);
    }

    private async Task<bool> ProbeAllAsync(Dictionary<string, string> results, CancellationToken requestAborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(ProbeTimeout);
        var outcomes = await Task.WhenAll(_checks.Select(check => ProbeAsync(check, timeout.Token))).ConfigureAwait(false);
        var healthy = true;
        foreach (var (name, outcome) in outcomes)
        {
            results[name] = outcome;
            healthy &= outcome == "ok";
        }

        return healthy;
    }

    /// <summary>Only "ok", "timeout" or "failed" leave the process; the reason goes to the log.</summary>
    private async Task<(string Name, string Outcome)> ProbeAsync(ReadinessCheck check, CancellationToken cancellationToken)
    {
        try
        {
            await check.Probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
            return (check.Name, "ok");
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            Log.ProbeFailed(_logger, e, check.Name, "timeout");
            return (check.Name, "timeout");
        }
        catch (Exception e)
        {
            Log.ProbeFailed(_logger, e, check.Name, "failed");
            return (check.Name, "failed");
        }
    }

    private sealed record LivenessReport(string Status);

    private sealed record ReadinessReport(string Status, IReadOnlyDictionary<string, string> Checks);
}
