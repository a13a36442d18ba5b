using R2Meta.Bench;
using R2Meta.Bench.Measurement;
using R2Meta.Bench.Targets;
using R2Meta.Bench.Workloads;

// S3 load generator: small objects, listing, large objects and a mixed blend against any S3 endpoint,
// optionally the same small-object load straight against the stores (--raw). See BenchOptions.Usage.
BenchOptions options;
try
{
    if (args is ["--help" or "-h"])
    {
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    }

    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{BenchOptions.Usage}");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
var token = cancellation.Token;
var memory = new ServerMemory(options.ServerPid);
PhaseRunner.Cpu = new CpuProbes(options.ServerPid, options.StorePid);
// The process probe exists on a local R2Meta server only, which is what --server-pid names.
using var counters = new ProcessCounters(options.ServerPid is null ? null : new Uri(options.Endpoint));
PhaseRunner.Counters = counters;
using var floorCounters = new ProcessCounters(options.FloorEndpoint is null ? null : new Uri(options.FloorEndpoint));
if (options.FloorEndpoint is not null)
{
    PhaseRunner.TargetProbes = new Dictionary<string, (CpuProbes, ProcessCounters)> { [S3Endpoint.FloorName] = (new CpuProbes(options.FloorPid, options.StorePid), floorCounters) };
}

var startedAt = DateTimeOffset.UtcNow;
var loadBefore = LoadAverage();
var results = new List<WorkloadResult>();
string? rawDescription = null;

using var s3 = S3Endpoint.Create(options);
using var floor = options.FloorEndpoint is { } floorEndpoint ? S3Endpoint.Create(options, floorEndpoint, S3Endpoint.FloorName) : null;
try
{
    if (options.Workloads.Any(w => w != "raw"))
    {
        await s3.EnsureBucketAsync(token);
    }

    using var raw = options.RunsRaw || options.RunsRawLarge ? await RawStoreTarget.CreateAsync(options, token) : null;
    rawDescription = raw?.Description;
    IObjectTarget[] smallTargets =
    [
        .. options.Runs("small") ? [s3] : Array.Empty<IObjectTarget>(),
        .. raw is null || !options.RunsRaw ? [] : new IObjectTarget[] { raw },
        .. floor is null || !options.Runs("small") ? [] : new IObjectTarget[] { floor },
    ];
    if (smallTargets.Length > 0)
    {
        results.AddRange(await SmallWorkload.RunAsync(smallTargets, options, token));
    }

    if (options.Runs("list"))
    {
        results.AddRange(await ListWorkload.RunAsync(s3, options, token));
    }

    if (options.Runs("large"))
    {
        results.AddRange(await LargeWorkload.RunAsync(s3, options.RunsRawLarge ? raw : null, options, memory, token));
    }

    if (options.Runs("mixed"))
    {
        results.AddRange(await MixedWorkload.RunAsync(s3, options, token));
    }
}
catch (Exception e) when (e is not OperationCanceledException)
{
    Console.Error.WriteLine($"error: the bench stopped: {WorkloadResult.Describe(e)}");
    return 1;
}

var report = new Report
{
    StartedAt = startedAt,
    Endpoint = options.Endpoint,
    Bucket = options.Bucket,
    RawStores = rawDescription,
    ProcessorCount = Environment.ProcessorCount,
    Arguments = args,
    Results = results,
    Comparisons = Report.Compare(results),
    FloorComparisons = Report.CompareFloor(results),
    LargeComparisons = Report.CompareLarge(results),
    ServerPeakWorkingSetMiB = memory.PeakMiB(),
    LoadAverage = $"{loadBefore} (start), {LoadAverage()} (end)",
};
Console.WriteLine(report.ToTable());
if (options.Out is { } path)
{
    await report.WriteJsonAsync(path, CancellationToken.None);
    Console.WriteLine($"results written to {path}");
}

// Errors are data, but an operation that never once succeeded means the tool (or the server) is broken.
// Multipart is exempt while it is being built: its failure shows in the table instead.
var broken = results.Where(r => r.Ops == 0 && r.Errors > 0 && !r.Operation.Contains("multipart", StringComparison.Ordinal)).ToList();
foreach (var r in broken)
{
    Console.Error.WriteLine($"error: {r.Workload}/{r.Target} {r.Operation} c={r.Concurrency} never succeeded: {r.FirstError}");
}

return broken.Count == 0 && !token.IsCancellationRequested ? 0 : 1;

// Other work on the machine skews every number; the report says how busy it was (1/5/15-minute load).
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
