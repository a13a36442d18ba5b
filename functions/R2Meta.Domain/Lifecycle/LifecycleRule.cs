using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Lifecycle;

/// <summary>
/// One Rule of a bucket's lifecycle configuration (PutBucketLifecycleConfiguration), as the protocol layer validated
/// it. Persisted with the bucket record as JSON: keep additions optional.
/// </summary>
public sealed record LifecycleRule
{
    /// <summary>The rule's ID; PutBucketLifecycleConfiguration assigns one when the client sent none, as S3 does.</summary>
    public required string Id { get; init; }

    public bool Enabled { get; init; }

    /// <summary>Which objects the rule applies to; <see cref="LifecycleFilter.All"/> for an empty filter.</summary>
    public LifecycleFilter Filter { get; init; } = LifecycleFilter.All;

    /// <summary>How the filter was written, so GetBucketLifecycleConfiguration gives back what was put.</summary>
    public LifecycleFilterForm FilterForm { get; init; }

    /// <summary>Expiration Days: current versions expire this many days after their creation (rounded up to midnight UTC).</summary>
    public int? ExpirationDays { get; init; }

    /// <summary>Expiration Date (midnight UTC): from then on, current versions the rule matches expire.</summary>
    public DateTimeOffset? ExpirationDate { get; init; }

    /// <summary>Expiration ExpiredObjectDeleteMarker: a current delete marker with no noncurrent version left is removed.</summary>
    public bool ExpiredObjectDeleteMarker { get; init; }

    /// <summary>NoncurrentVersionExpiration NoncurrentDays: noncurrent versions expire this many days after they became noncurrent.</summary>
    public int? NoncurrentDays { get; init; }

    /// <summary>NoncurrentVersionExpiration NewerNoncurrentVersions: this many newest noncurrent versions are kept whatever their age.</summary>
    public int? NewerNoncurrentVersions { get; init; }

    /// <summary>AbortIncompleteMultipartUpload DaysAfterInitiation.</summary>
    public int? AbortDaysAfterInitiation { get; init; }

    /// <summary>Transitions of current versions (STANDARD_IA only).</summary>
    public IReadOnlyList<LifecycleTransition>? Transitions { get; init; }

    /// <summary>NoncurrentVersionTransitions (STANDARD_IA only; <see cref="LifecycleTransition.Days"/> counts noncurrent days).</summary>
    public IReadOnlyList<LifecycleTransition>? NoncurrentTransitions { get; init; }

    /// <summary>True when the rule expires current versions (by days or date).</summary>
    public bool ExpiresCurrent => ExpirationDays is not null || ExpirationDate is not null;
}

/// <summary>Which objects a rule applies to: every condition that is set must hold.</summary>
public sealed record LifecycleFilter
{
    public static LifecycleFilter All { get; } = new();

    /// <summary>Key prefix; empty matches every key.</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>Tags the object must carry (each key with this value); null or empty: none.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>ObjectSizeGreaterThan: the object's size in bytes must exceed this.</summary>
    public long? SizeGreaterThan { get; init; }

    /// <summary>ObjectSizeLessThan: the object's size in bytes must be below this.</summary>
    public long? SizeLessThan { get; init; }

    /// <summary>True when the filter looks at tags (S3 allows no ExpiredObjectDeleteMarker or multipart abort then).</summary>
    public bool HasTags => Tags is { Count: > 0 };

    /// <summary>True when the filter looks at sizes.</summary>
    public bool HasSize => SizeGreaterThan is not null || SizeLessThan is not null;
}

/// <summary>
/// How a rule's filter was written. Persisted: explicit values, never renumbered.
/// </summary>
public enum LifecycleFilterForm
{
    /// <summary>&lt;Filter&gt; with at most one condition (Prefix, Tag, ObjectSizeGreaterThan or ObjectSizeLessThan), or empty.</summary>
    Filter = 0,
    /// <summary>&lt;Filter&gt;&lt;And&gt;…&lt;/And&gt;&lt;/Filter&gt;.</summary>
    And = 1,
    /// <summary>The legacy &lt;Prefix&gt; directly in the rule.</summary>
    LegacyPrefix = 2,
}

/// <summary>A Transition or NoncurrentVersionTransition: after <see cref="Days"/> (or on <see cref="Date"/>) to <see cref="StorageClass"/>.</summary>
public sealed record LifecycleTransition
{
    public int? Days { get; init; }

    public DateTimeOffset? Date { get; init; }

    /// <summary>NoncurrentVersionTransition NewerNoncurrentVersions.</summary>
    public int? NewerNoncurrentVersions { get; init; }

    public required string StorageClass { get; init; }
}
