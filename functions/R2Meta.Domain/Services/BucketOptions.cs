using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>Settings of bucket handling (bound from R2META_* settings by the hosts).</summary>
public sealed record BucketOptions
{
    /// <summary>Region reported by GetBucketLocation and recorded as bucket region.</summary>
    public string Region { get; init; } = BucketRecord.DefaultRegion;

    /// <summary>How long an existing bucket's owner is remembered between store reads; zero turns it off.</summary>
    public TimeSpan BucketCacheTtl { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Valid names this deployment cannot serve (the host answers their paths itself); CreateBucket refuses them.</summary>
    public IReadOnlySet<string> ReservedNames { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
