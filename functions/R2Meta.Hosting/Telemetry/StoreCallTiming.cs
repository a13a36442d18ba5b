using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using R2Meta.Domain.Diagnostics;

namespace R2Meta.Hosting.Telemetry;

/// <summary>
/// The Tables and Blobs telemetry seam: an Azure.Core pipeline policy placed per retry, so it sees every HTTP
/// round trip to the store. Each one counts as a store round trip of the current S3 request
/// (<see cref="RequestCost"/>) and as one <c>r2meta.store.call.duration</c> measurement tagged with the backend and
/// the kind of call (for example <c>PUT block</c>, <c>GET blob</c>, <c>POST batch</c>, <c>GET query</c>). It sits
/// outside the adapters, which keep their own error handling.
/// </summary>
public sealed class StoreCallTiming : HttpPipelinePolicy
{
    // Call names are a small fixed set; cache them so a measurement allocates nothing.
    private static readonly ConcurrentDictionary<(RequestMethod, string), string> Names = new();

    private readonly string _backend;
    private readonly Func<Request, string> _callName;

    private StoreCallTiming(string backend, Func<Request, string> callName)
    {
        _backend = backend;
        _callName = callName;
    }

    public static StoreCallTiming Tables { get; } = new(R2MetaTelemetry.Backends.Tables, TableCall);

    public static StoreCallTiming Blobs { get; } = new(R2MetaTelemetry.Backends.Blobs, BlobCall);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var started = Stopwatch.GetTimestamp();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Record(message, started);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            Record(message, started);
        }
    }

    private void Record(HttpMessage message, long started)
    {
        RequestCost.AddRoundTrip();
        if (R2MetaTelemetry.StoreCallDuration.Enabled)
        {
            R2MetaTelemetry.RecordStoreCall(_backend, _callName(message.Request), Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary><c>POST batch</c>, <c>GET entity</c>, <c>GET query</c>, <c>POST insert</c>, <c>POST table</c>, ...</summary>
    internal static string TableCall(Request request)
    {
        var path = request.Uri.Path.AsSpan().TrimEnd('/');
        var kind = path.EndsWith("$batch", StringComparison.Ordinal) ? "batch"
            : path.EndsWith("/Tables", StringComparison.Ordinal) || path.Contains("/Tables(", StringComparison.Ordinal) ? "table"
            : path.EndsWith(')') && path.Contains("PartitionKey=", StringComparison.Ordinal) ? "entity"
            : request.Method == RequestMethod.Post ? "insert"
            : "query";
        return Named(request.Method, kind);
    }

    /// <summary><c>PUT block</c>, <c>PUT blocklist</c>, <c>GET blob</c>, <c>HEAD blob</c>, <c>GET list</c>, <c>PUT container</c>, ...</summary>
    internal static string BlobCall(Request request)
    {
        var query = request.Uri.Query.AsSpan();
        var comp = Parameter(query, "comp=");
        var kind = comp.Length > 0 ? comp switch
        {
            "block" => "block",
            "blocklist" => "blocklist",
            "list" => "list",
            "properties" => "properties",
            "metadata" => "metadata",
            "lease" => "lease",
            "copy" => "copy",
            "tags" => "tags",
            _ => "other",
        }
            : Parameter(query, "restype=").SequenceEqual("container") ? "container"
            : "blob";
        return Named(request.Method, kind);
    }

    private static ReadOnlySpan<char> Parameter(ReadOnlySpan<char> query, string name)
    {
        var at = query.IndexOf(name, StringComparison.Ordinal);
        if (at < 0)
        {
            return [];
        }

        var value = query[(at + name.Length)..];
        var end = value.IndexOf('&');
        return end < 0 ? value : value[..end];
    }

    private static string Named(RequestMethod method, string kind) =>
        Names.GetOrAdd((method, kind), static key => key.Item1.Method + " " + key.Item2);
}
