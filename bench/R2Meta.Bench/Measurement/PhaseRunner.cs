using System.Diagnostics;
using System.Globalization;

namespace R2Meta.Bench.Measurement;

/// <summary>Identifies one operation: which worker runs it and its index within the phase (0, 1, 2, ...).</summary>
public readonly record struct OpSlot(int Worker, long Index);

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each run one operation after another until the phase's
/// operation budget or deadline is used up. Latencies stay in per-worker lists (no locking on the hot
/// path) and are merged once at the end. A progress line is redrawn on stderr while it runs.
/// </summary>
public static class PhaseRunner
{
    /// <summary>Set once at startup; every phase is stamped with CPU per operation.</summary>
    public static CpuProbes Cpu { get; set; } = CpuProbes.None;

    /// <summary>Set once at startup; every phase is stamped with allocated bytes and store requests per operation.</summary>
    public static ProcessCounters Counters { get; set; } = ProcessCounters.None;

    /// <summary>Probes of a target whose server is not the one <see cref="Cpu"/> and <see cref="Counters"/> read (the floor), by target name.</summary>
    public static IReadOnlyDictionary<string, (CpuProbes Cpu, ProcessCounters Counters)> TargetProbes { get; set; } =
        new Dictionary<string, (CpuProbes, ProcessCounters)>();

    /// <param name="operation">Returns the payload bytes it moved; throws on failure (counted as an error).</param>
    /// <param name="opsLimit">Run exactly this many operations (over all workers), or by <paramref name="duration"/> when null.</param>
    public static async Task<WorkloadResult> RunAsync(
        string workload, string target, string operationName, int concurrency, TimeSpan duration, long? opsLimit,
        Func<OpSlot, CancellationToken, Task<long>> operation, CancellationToken cancellationToken = default)
    {
        var label = $"{workload}/{target} {operationName} c={concurrency}";
        var latencies = new List<double>[concurrency];
        var nextIndex = -1L;
        var completed = 0L;
        var errors = 0L;
        var bytes = 0L;
        string? firstError = null;
        // One plain line per phase start when no progress line is drawn: lets a profiler (dotnet-trace) be
        // attached to the server for exactly one phase by watching the bench's stderr.
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine($"phase started: {label}");
        }

        var (cpu, counters) = TargetProbes.TryGetValue(target, out var own) ? own : (Cpu, Counters);
        var countersBefore = await counters.TakeAsync(cancellationToken).ConfigureAwait(false);
        var cpuBefore = cpu.Take();
        var clock = Stopwatch.StartNew();
        var deadline = opsLimit is null ? duration : TimeSpan.MaxValue;

        async Task WorkerAsync(int worker)
        {
            var mine = latencies[worker] = new List<double>(1024);
            while (!cancellationToken.IsCancellationRequested && clock.Elapsed < deadline)
            {
                var index = Interlocked.Increment(ref nextIndex);
                if (opsLimit is { } limit && index >= limit)
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                try
                {
                    var moved = await operation(new OpSlot(worker, index), cancellationToken).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Add(ref bytes, moved);
                    Interlocked.Increment(ref completed);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, WorkloadResult.Describe(e), null);
                }
            }
        }

        using var progress = Progress.Start(() => string.Create(CultureInfo.InvariantCulture,
            $"{label}: {Volatile.Read(ref completed)} ops, {Volatile.Read(ref completed) / Math.Max(clock.Elapsed.TotalSeconds, 0.001):F0} ops/s, {Volatile.Read(ref errors)} errors, {clock.Elapsed.TotalSeconds:F0} s"));
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => WorkerAsync(w), cancellationToken))).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;

        var all = latencies.Where(l => l is not null).SelectMany(l => l).ToArray();
        Array.Sort(all);
        var result = cpu.Take().PerOp(cpuBefore, new WorkloadResult
        {
            Workload = workload,
            Target = target,
            Operation = operationName,
            Concurrency = concurrency,
            Ops = completed,
            Errors = errors,
            Seconds = seconds,
            Bytes = bytes,
            P50Ms = Percentile(all, 0.50),
            P90Ms = Percentile(all, 0.90),
            P99Ms = Percentile(all, 0.99),
            MaxMs = all.Length > 0 ? all[^1] : 0,
            FirstError = firstError,
        });
        return (await counters.TakeAsync(cancellationToken).ConfigureAwait(false)).PerOp(countersBefore, result);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
