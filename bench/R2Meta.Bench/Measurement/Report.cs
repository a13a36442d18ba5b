using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;

namespace R2Meta.Bench.Measurement;

/// <summary>
/// R2Meta against the raw stores for one small-object operation at one concurrency. CPU and allocations:
/// the R2Meta server's per operation against the bench process's while it made the raw store calls itself
/// (the same SDKs, no S3 layer), so the ratios say what the S3 layer costs on top of the store calls.
/// </summary>
public sealed record Comparison(string Operation, int Concurrency, double R2MetaOpsPerSecond, double RawOpsPerSecond, double Ratio, double R2MetaP50Ms, double R2MetaP99Ms, double RawP50Ms, double RawP99Ms)
{
    public double? R2MetaServerCpuUsPerOp { get; init; }
    public double? RawCpuUsPerOp { get; init; }
    public double? CpuRatio => R2MetaServerCpuUsPerOp / RawCpuUsPerOp;
    public double? R2MetaServerAllocatedBytesPerOp { get; init; }
    public double? RawAllocatedBytesPerOp { get; init; }
    public double? AllocatedRatio => R2MetaServerAllocatedBytesPerOp / RawAllocatedBytesPerOp;
    public double? R2MetaStoreRequestsPerOp { get; init; }
}

/// <summary>
/// R2Meta against the floor (bench/R2Meta.Floor, <c>script/bench --floor</c>) for one small-object operation at one
/// concurrency: a server making the same store round trips with none of S3's work, on the same machine and load.
/// R2Meta's server CPU per operation minus the floor's is what the S3 layer itself costs.
/// </summary>
public sealed record FloorComparison(string Operation, int Concurrency, double R2MetaOpsPerSecond, double FloorOpsPerSecond)
{
    public double? R2MetaServerCpuUsPerOp { get; init; }
    public double? FloorServerCpuUsPerOp { get; init; }
    public double? AboveFloorCpuUsPerOp => R2MetaServerCpuUsPerOp - FloorServerCpuUsPerOp;
    public double? R2MetaServerAllocatedBytesPerOp { get; init; }
    public double? FloorServerAllocatedBytesPerOp { get; init; }
}

/// <summary>
/// R2Meta against Blob Storage itself for one large-object transfer: the single PUT or GET, or the multipart upload
/// or its GET, of one size, against the raw blob upload or download of the same size in the same run.
/// </summary>
public sealed record LargeComparison(string Operation, double R2MetaMegabytesPerSecond, double RawMegabytesPerSecond, double? ServerPeakMiB)
{
    /// <summary>R2Meta's throughput as a share of the raw one.</summary>
    public double Share => RawMegabytesPerSecond > 0 ? R2MetaMegabytesPerSecond / RawMegabytesPerSecond : 0;
}

/// <summary>The whole run: what was measured, against what, and the results; printed and written as JSON.</summary>
public sealed record Report
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public required DateTimeOffset StartedAt { get; init; }
    public required string Endpoint { get; init; }
    public required string Bucket { get; init; }
    public string? RawStores { get; init; }
    public required int ProcessorCount { get; init; }
    public string? LoadAverage { get; init; }
    public required IReadOnlyList<string> Arguments { get; init; }
    public required IReadOnlyList<WorkloadResult> Results { get; init; }
    public IReadOnlyList<Comparison> Comparisons { get; init; } = [];
    public IReadOnlyList<FloorComparison> FloorComparisons { get; init; } = [];
    public IReadOnlyList<LargeComparison> LargeComparisons { get; init; } = [];
    /// <summary>VmHWM of the server over the whole run (not reset), MiB.</summary>
    public double? ServerPeakWorkingSetMiB { get; init; }

    public static IReadOnlyList<Comparison> Compare(IReadOnlyList<WorkloadResult> results) =>
        [.. from r in results
            where r.Workload == "small" && r.Target == "r2meta"
            join raw in results.Where(x => x.Workload == "small" && x.Target == "raw")
                on (r.Operation, r.Concurrency) equals (raw.Operation, raw.Concurrency)
            select new Comparison(r.Operation, r.Concurrency, r.OpsPerSecond, raw.OpsPerSecond,
                raw.OpsPerSecond > 0 ? r.OpsPerSecond / raw.OpsPerSecond : 0, r.P50Ms, r.P99Ms, raw.P50Ms, raw.P99Ms)
            {
                R2MetaServerCpuUsPerOp = r.ServerCpuMsPerOp * 1000,
                RawCpuUsPerOp = raw.ClientCpuMsPerOp * 1000,
                R2MetaServerAllocatedBytesPerOp = r.ServerAllocatedBytesPerOp,
                RawAllocatedBytesPerOp = raw.ClientAllocatedBytesPerOp,
                R2MetaStoreRequestsPerOp = r.StoreRequestsPerOp,
            }];

    public static IReadOnlyList<FloorComparison> CompareFloor(IReadOnlyList<WorkloadResult> results) =>
        [.. from r in results
            where r.Workload == "small" && r.Target == "r2meta"
            join floor in results.Where(x => x.Workload == "small" && x.Target == Targets.S3Endpoint.FloorName)
                on (r.Operation, r.Concurrency) equals (floor.Operation, floor.Concurrency)
            select new FloorComparison(r.Operation, r.Concurrency, r.OpsPerSecond, floor.OpsPerSecond)
            {
                R2MetaServerCpuUsPerOp = r.ServerCpuMsPerOp * 1000,
                FloorServerCpuUsPerOp = floor.ServerCpuMsPerOp * 1000,
                R2MetaServerAllocatedBytesPerOp = r.ServerAllocatedBytesPerOp,
                FloorServerAllocatedBytesPerOp = floor.ServerAllocatedBytesPerOp,
            }];

    /// <summary>Each R2Meta large row that succeeded against the raw row of the same direction and size ("PUT multipart 1GiB" against "PUT 1GiB").</summary>
    public static IReadOnlyList<LargeComparison> CompareLarge(IReadOnlyList<WorkloadResult> results) =>
        [.. from r in results
            where r.Workload == "large" && r.Target == "r2meta" && r.Ops > 0
            join raw in results.Where(x => x.Workload == "large" && x.Target == "raw" && x.Ops > 0)
                on r.Operation.Replace(Workloads.LargeWorkload.Multipart, string.Empty, StringComparison.Ordinal) equals raw.Operation
            select new LargeComparison(r.Operation, r.MegabytesPerSecond, raw.MegabytesPerSecond, r.ServerPeakMiB)];

    public async Task WriteJsonAsync(string path, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, Json, cancellationToken).ConfigureAwait(false);
    }

    public string ToTable()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"R2Meta.Bench  endpoint {Endpoint}  bucket {Bucket}  {ProcessorCount} cores  {StartedAt:u}");
        if (LoadAverage is not null)
        {
            text.AppendLine(inv, $"load average: {LoadAverage}");
        }

        if (RawStores is not null)
        {
            text.AppendLine(inv, $"raw: {RawStores}");
        }

        text.AppendLine();
        text.AppendLine(inv, $"{"workload",-8} {"target",-7} {"operation",-20} {"conc",4} {"ops",8} {"ops/s",9} {"MB/s",8} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"err",5}  notes");
        foreach (var r in Results)
        {
            var notes = new List<string>();
            if (r.RoundTripsPerPage is { } trips)
            {
                notes.Add(string.Create(inv, $"{trips:F1} store round trips/page"));
            }

            if (r.EntriesPerSecond is { } entries)
            {
                notes.Add(string.Create(inv, $"{entries:F0} entries/s"));
            }

            if (r.ServerPeakMiB is { } peak)
            {
                notes.Add(string.Create(inv, $"server peak {peak:F0} MiB"));
            }

            if (r.ServerCpuMsPerOp is not null || r.StoreCpuMsPerOp is not null)
            {
                notes.Add(string.Create(inv, $"cpu ms/op bench {r.ClientCpuMsPerOp:F2} server {r.ServerCpuMsPerOp:F2} store {r.StoreCpuMsPerOp:F2}"));
            }

            if (r.ServerAllocatedBytesPerOp is not null || r.ClientAllocatedBytesPerOp is not null)
            {
                notes.Add(string.Create(inv, $"alloc KB/op bench {r.ClientAllocatedBytesPerOp / 1024:F1} server {r.ServerAllocatedBytesPerOp / 1024:F1}"));
            }

            if (r.StoreRequestsPerOp is { } requests)
            {
                notes.Add(string.Create(inv, $"store req/op {requests:F2}"));
            }

            if (r.FirstError is { } error)
            {
                notes.Add("first error: " + error);
            }

            text.AppendLine(inv, $"{r.Workload,-8} {r.Target,-7} {r.Operation,-20} {r.Concurrency,4} {r.Ops,8} {r.OpsPerSecond,9:F1} {r.MegabytesPerSecond,8:F1} {r.P50Ms,8:F1} {r.P90Ms,8:F1} {r.P99Ms,8:F1} {r.MaxMs,8:F1} {r.Errors,5}  {string.Join("; ", notes)}");
        }

        if (Comparisons.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("small objects, R2Meta vs raw stores (ratio = R2Meta ops/s / raw ops/s)");
            text.AppendLine("CPU and allocations: R2Meta server per op vs the bench process making the raw store calls itself (ratio = R2Meta / raw)");
            text.AppendLine(inv, $"{"operation",-9} {"conc",4} {"R2Meta ops/s",12} {"raw ops/s",10} {"ratio",7} {"R2Meta p50/p99 ms",18} {"raw p50/p99 ms",16} {"R2Meta p99/p50",14} {"CPU us/op R2Meta/raw",21} {"ratio",6} {"alloc KB/op R2Meta/raw",23} {"ratio",6} {"store req/op",12}");
            foreach (var c in Comparisons)
            {
                text.AppendLine(inv, $"{c.Operation,-9} {c.Concurrency,4} {c.R2MetaOpsPerSecond,12:F1} {c.RawOpsPerSecond,10:F1} {c.Ratio,7:P0} {$"{c.R2MetaP50Ms:F1}/{c.R2MetaP99Ms:F1}",18} {$"{c.RawP50Ms:F1}/{c.RawP99Ms:F1}",16} {(c.R2MetaP50Ms > 0 ? c.R2MetaP99Ms / c.R2MetaP50Ms : 0),14:F1} {$"{c.R2MetaServerCpuUsPerOp:F0}/{c.RawCpuUsPerOp:F0}",21} {c.CpuRatio,6:F2} {$"{c.R2MetaServerAllocatedBytesPerOp / 1024:F1}/{c.RawAllocatedBytesPerOp / 1024:F1}",23} {c.AllocatedRatio,6:F2} {c.R2MetaStoreRequestsPerOp,12:F2}");
            }
        }

        if (FloorComparisons.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("small objects, R2Meta vs the floor (the same store round trips with no S3 work: bench/R2Meta.Floor), server per op");
            text.AppendLine(inv, $"{"operation",-9} {"conc",4} {"R2Meta ops/s",12} {"floor ops/s",11} {"CPU us/op R2Meta/floor",22} {"above floor",11} {"alloc KB/op R2Meta/floor",24}");
            foreach (var c in FloorComparisons)
            {
                text.AppendLine(inv, $"{c.Operation,-9} {c.Concurrency,4} {c.R2MetaOpsPerSecond,12:F1} {c.FloorOpsPerSecond,11:F1} {$"{c.R2MetaServerCpuUsPerOp:F0}/{c.FloorServerCpuUsPerOp:F0}",22} {c.AboveFloorCpuUsPerOp,11:F0} {$"{c.R2MetaServerAllocatedBytesPerOp / 1024:F1}/{c.FloorServerAllocatedBytesPerOp / 1024:F1}",24}");
            }
        }

        if (LargeComparisons.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("large objects, R2Meta vs Blob Storage's own upload/download of the same size (share = R2Meta MB/s / raw MB/s)");
            text.AppendLine(inv, $"{"operation",-22} {"R2Meta MB/s",11} {"raw MB/s",9} {"share",6} {"server peak MiB",15}");
            foreach (var c in LargeComparisons)
            {
                text.AppendLine(inv, $"{c.Operation,-22} {c.R2MetaMegabytesPerSecond,11:F1} {c.RawMegabytesPerSecond,9:F1} {c.Share,6:P0} {c.ServerPeakMiB,15:F0}");
            }
        }

        if (ServerPeakWorkingSetMiB is { } overall)
        {
            text.AppendLine();
            text.AppendLine(inv, $"server peak working set over the run (VmHWM): {overall:F0} MiB");
        }

        return text.ToString();
    }
}
