namespace R2Meta.Bench.Measurement;

/// <summary>One row of the report: one operation of one workload at one concurrency against one target.</summary>
public sealed record WorkloadResult
{
    public required string Workload { get; init; }
    /// <summary>"r2meta" (the S3 endpoint, whatever server it is) or "raw" (the stores directly).</summary>
    public required string Target { get; init; }
    public required string Operation { get; init; }
    public required int Concurrency { get; init; }
    public long Ops { get; init; }
    public long Errors { get; init; }
    public double Seconds { get; init; }
    public long Bytes { get; init; }
    public double OpsPerSecond => Seconds > 0 ? Ops / Seconds : 0;
    public double MegabytesPerSecond => Seconds > 0 ? Bytes / Seconds / (1024 * 1024) : 0;
    public double P50Ms { get; init; }
    public double P90Ms { get; init; }
    public double P99Ms { get; init; }
    public double MaxMs { get; init; }
    public string? FirstError { get; init; }
    /// <summary>Listing: average x-r2meta-store-round-trips per page, when the server sends the header.</summary>
    public double? RoundTripsPerPage { get; init; }
    /// <summary>Listing: keys plus common prefixes returned per second.</summary>
    public double? EntriesPerSecond { get; init; }
    /// <summary>Peak working set of the server process during this row (VmHWM after a reset), when known.</summary>
    public double? ServerPeakMiB { get; init; }
    /// <summary>CPU milliseconds per operation spent by the bench process (SDK signing, checksums, ...).</summary>
    public double? ClientCpuMsPerOp { get; init; }
    /// <summary>CPU milliseconds per operation spent by the server process (--server-pid).</summary>
    public double? ServerCpuMsPerOp { get; init; }
    /// <summary>CPU milliseconds per operation spent by the store emulator (--store-pid).</summary>
    public double? StoreCpuMsPerOp { get; init; }
    /// <summary>Bytes allocated per operation by the bench process (for the raw target: what the store SDKs cost in-process).</summary>
    public double? ClientAllocatedBytesPerOp { get; init; }
    /// <summary>Bytes allocated per operation by the server process (its process probe).</summary>
    public double? ServerAllocatedBytesPerOp { get; init; }
    /// <summary>Metadata store requests per operation made by the server (its process probe; blob requests not counted).</summary>
    public double? StoreRequestsPerOp { get; init; }
    /// <summary>Gen0 collections of the server per operation.</summary>
    public double? ServerGcPerOp { get; init; }

    public static WorkloadResult Failed(string workload, string target, string operation, int concurrency, Exception error) => new()
    {
        Workload = workload,
        Target = target,
        Operation = operation,
        Concurrency = concurrency,
        Errors = 1,
        FirstError = Describe(error),
    };

    public static string Describe(Exception error)
    {
        var inner = error is AggregateException { InnerException: { } first } ? first : error;
        var message = $"{inner.GetType().Name}: {inner.Message}";
        return message.Length > 300 ? message[..300] : message;
    }
}
