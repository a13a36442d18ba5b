using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Diagnostics;
using R2Meta.S3.Protocol;
using Tags = R2Meta.Domain.Diagnostics.R2MetaTelemetry.Tags;

namespace R2Meta.S3.Pipeline;

/// <summary>
/// The request span and request metrics of one S3 request (names in <see cref="R2MetaTelemetry"/>). The pipeline
/// starts it first and disposes it last; routing names the operation; <see cref="ErrorWriter"/> adds the S3 error
/// code. When nothing listens <see cref="Start"/> returns null and the request pays one check.
/// </summary>
public sealed class RequestTelemetry : IDisposable
{
    private const string Unrouted = "Unrouted";

    private readonly HttpContext _http;
    private readonly Activity? _activity;
    private readonly RequestCost _cost;
    private readonly long _started;
    private string _operation = Unrouted;
    private string? _errorCode;

    private RequestTelemetry(HttpContext http, Activity? activity)
    {
        _http = http;
        _activity = activity;
        _cost = RequestCost.Begin();
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Opens the request span (a child of the caller's trace context) and starts the request's cost.</summary>
    public static RequestTelemetry? Start(HttpContext http, string requestId)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!R2MetaTelemetry.RequestsObserved)
        {
            return null;
        }

        var activity = R2MetaTelemetry.Source.StartActivity(Unrouted, ActivityKind.Server, ParentOf(http.Request));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Tags.Method, http.Request.Method);
            activity.SetTag(Tags.RequestId, requestId);
        }

        var telemetry = new RequestTelemetry(http, activity);
        http.Features.Set(telemetry);
        R2MetaTelemetry.ActiveRequests.Add(1);
        return telemetry;
    }

    /// <summary>Names the request after its S3 operation once routing knows it.</summary>
    public void Routed(string operation, string? bucket)
    {
        _operation = operation;
        if (_activity is not null)
        {
            _activity.DisplayName = operation;
            _activity.SetTag(Tags.Operation, operation);
            _activity.SetTag(Tags.Bucket, bucket);
        }
    }

    /// <summary>Called by <see cref="ErrorWriter"/> with the S3 error the request is answered with.</summary>
    internal static void Failed(HttpContext http, S3Error error)
    {
        if (http.Features.Get<RequestTelemetry>() is { } telemetry)
        {
            telemetry._errorCode = error.Code;
        }
    }

    public void Dispose()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var request = _http.Request;
        var response = _http.Response;
        var status = response.StatusCode;
        var requestBytes = request.ContentLength ?? 0;
        var responseBytes = HttpMethods.IsHead(request.Method) ? 0 : response.ContentLength ?? 0;
        var operation = new KeyValuePair<string, object?>(Tags.Operation, _operation);

        R2MetaTelemetry.ActiveRequests.Add(-1);
        var tags = new TagList { operation, { Tags.StatusClass, StatusClass(status) } };
        if (_errorCode is not null)
        {
            tags.Add(Tags.ErrorCode, _errorCode);
        }

        R2MetaTelemetry.RequestDuration.Record(elapsed.TotalSeconds, tags);
        R2MetaTelemetry.RequestBodySize.Add(requestBytes, operation);
        R2MetaTelemetry.ResponseBodySize.Add(responseBytes, operation);
        R2MetaTelemetry.StoreRoundTrips.Record(_cost.RoundTrips, operation);
        if (_cost.RequestCharge > 0)
        {
            R2MetaTelemetry.CosmosRequestCharge.Record(_cost.RequestCharge, operation);
        }

        if (_activity is null)
        {
            return;
        }

        if (_activity.IsAllDataRequested)
        {
            _activity.SetTag(Tags.StatusCode, status);
            _activity.SetTag(Tags.ErrorCode, _errorCode);
            _activity.SetTag(Tags.RequestBodySize, requestBytes);
            _activity.SetTag(Tags.ResponseBodySize, responseBytes);
            _activity.SetTag(Tags.StoreRoundTrips, _cost.RoundTrips);
            if (_cost.RequestCharge > 0)
            {
                _activity.SetTag(Tags.CosmosRequestCharge, _cost.RequestCharge);
            }
        }

        // Server spans: only a 5xx is the server's failure (OpenTelemetry HTTP semantic conventions).
        if (status >= StatusCodes.Status500InternalServerError)
        {
            _activity.SetStatus(ActivityStatusCode.Error, _errorCode);
        }

        _activity.Dispose();
    }

    private static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };

    /// <summary>
    /// A host span that is being recorded (the Functions worker's invocation, or ASP.NET Core's request when its
    /// instrumentation is on) is the parent. ASP.NET Core also keeps an unrecorded activity of its own whenever logging
    /// is on; that one must not be the parent (the sampler would drop every span below it), so it is set aside for this
    /// request and the client's traceparent header, if any, is the parent. Called from a synchronous method, the change
    /// of <see cref="Activity.Current"/> holds for the rest of the pipeline's async method only.
    /// </summary>
    private static ActivityContext ParentOf(HttpRequest request)
    {
        if (Activity.Current is { } current)
        {
            if (current.Recorded)
            {
                return current.Context;
            }

            Activity.Current = null;
        }

        return request.Headers.TryGetValue("traceparent", out var traceParent)
            && ActivityContext.TryParse(traceParent.ToString(), request.Headers.TryGetValue("tracestate", out var state) ? state.ToString() : null, isRemote: true, out var parent)
                ? parent
                : default;
    }
}
