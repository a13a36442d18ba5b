namespace R2Meta.S3;

/// <summary>Settings of the S3 protocol layer (bound from R2META_* settings by the hosts).</summary>
public sealed record S3Options
{
    /// <summary>Base domain for virtual-hosted-style addressing: <c>bucket.{BaseDomain}</c>.</summary>
    public string BaseDomain { get; init; } = S3Defaults.BaseDomain;

    /// <summary>S3 rejects request header sections above 8 KiB.</summary>
    public int MaxHeaderBytes { get; init; } = 8 * 1024;

    /// <summary>
    /// How long a request may wait for its answer, not counting time spent receiving its body or sending
    /// the answer's (see <see cref="Pipeline.RequestDeadline"/>); then it is answered 503 ServiceUnavailable.
    /// Zero or less: no deadline.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest single PUT (S3: 5 GiB).</summary>
    public long MaxObjectSize { get; init; } = 5L * 1024 * 1024 * 1024;
}
