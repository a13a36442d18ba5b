using System.Net.Http.Json;

namespace R2Meta.Bench.Measurement;

/// <summary>
/// Allocated bytes and metadata store requests around each phase: the bench's own allocations from
/// <see cref="GC.GetTotalAllocatedBytes"/>, and the server's from its process probe (<c>GET /_r2meta/process</c>,
/// which the Kestrel host serves when started with <c>R2META_PROCESS_PROBE=true</c>, as script/bench does).
/// Unlike latency and throughput these do not depend on what else runs on the machine.
/// Against a server without the probe the server columns stay empty.
/// </summary>
public sealed class ProcessCounters(Uri? probe) : IDisposable
{
    private const string ProbePath = "/_r2meta/process";

    private readonly HttpClient? _http = probe is null ? null : new HttpClient { BaseAddress = probe, Timeout = TimeSpan.FromSeconds(10) };
    private bool _probeMissing;

    public static ProcessCounters None { get; } = new(null);

    public async Task<CounterSnapshot> TakeAsync(CancellationToken cancellationToken = default)
    {
        var client = GC.GetTotalAllocatedBytes(precise: true);
        if (_http is null || _probeMissing)
        {
            return new CounterSnapshot(client, null);
        }

        try
        {
            using var response = await _http.GetAsync(ProbePath, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                _probeMissing = true;
                return new CounterSnapshot(client, null);
            }

            var server = await response.Content.ReadFromJsonAsync<ServerCounters>(cancellationToken).ConfigureAwait(false);
            return new CounterSnapshot(client, server);
        }
        catch (HttpRequestException)
        {
            _probeMissing = true;
            return new CounterSnapshot(client, null);
        }
    }

    public void Dispose() => _http?.Dispose();
}

/// <summary>What the server's process probe reports (cumulative since it started).</summary>
public sealed record ServerCounters(long AllocatedBytes, double CpuMs, long StoreRequests, int Gen0, int Gen1, int Gen2);

/// <summary>Cumulative allocated bytes of the bench and, when known, the server's counters at one instant.</summary>
public readonly record struct CounterSnapshot(long ClientAllocatedBytes, ServerCounters? Server)
{
    /// <summary>Stamps a result with bytes and store requests per operation since <paramref name="before"/>.</summary>
    public WorkloadResult PerOp(CounterSnapshot before, WorkloadResult result)
    {
        var ops = (double)Math.Max(result.Ops + result.Errors, 1);
        var server = Server is { } after && before.Server is { } start ? (After: after, Start: start) : default;
        return result with
        {
            ClientAllocatedBytesPerOp = (ClientAllocatedBytes - before.ClientAllocatedBytes) / ops,
            ServerAllocatedBytesPerOp = server.After is null ? null : (server.After.AllocatedBytes - server.Start.AllocatedBytes) / ops,
            StoreRequestsPerOp = server.After is null ? null : (server.After.StoreRequests - server.Start.StoreRequests) / ops,
            ServerGcPerOp = server.After is null ? null : (server.After.Gen0 - server.Start.Gen0) / ops,
        };
    }
}
