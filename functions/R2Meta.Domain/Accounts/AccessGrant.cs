namespace R2Meta.Domain.Accounts;

/// <summary>
/// A key's permission level and, for object levels, the buckets it is limited to (null: every bucket of its
/// account). As in R2, admin levels are account-wide and cannot be limited to buckets.
/// </summary>
public sealed record AccessGrant
{
    private AccessGrant(PermissionLevel level, IReadOnlyList<string>? buckets)
    {
        Level = level;
        Buckets = buckets;
    }

    /// <summary>What <c>R2META_CREDENTIALS</c> keys (the bootstrap keys) get.</summary>
    public static AccessGrant Full { get; } = new(PermissionLevel.AdminReadWrite, null);

    public PermissionLevel Level { get; }

    /// <summary>Sorted, distinct bucket names; null when the key reaches every bucket of its account.</summary>
    public IReadOnlyList<string>? Buckets { get; }

    public static AccessGrant Of(PermissionLevel level, IEnumerable<string>? buckets = null)
    {
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown permission level.");
        }

        var names = buckets?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (names is { Length: 0 })
        {
            names = null;
        }

        if (names is not null && level is PermissionLevel.AdminReadWrite or PermissionLevel.AdminRead)
        {
            throw new ArgumentException("Admin keys reach every bucket of their account; only object-read-write and object-read keys can be limited to buckets.", nameof(buckets));
        }

        if (names?.Any(string.IsNullOrWhiteSpace) == true)
        {
            throw new ArgumentException("A bucket name is empty.", nameof(buckets));
        }

        return new AccessGrant(level, names);
    }

    /// <summary>Whether this grant allows <paramref name="access"/> to <paramref name="bucket"/> (null: the service).</summary>
    /// <param name="sourceBucket">For <see cref="OperationAccess.ObjectCopy"/>: the bucket read from.</param>
    public bool Allows(OperationAccess access, string? bucket, string? sourceBucket = null) => access switch
    {
        OperationAccess.AdminWrite => Level == PermissionLevel.AdminReadWrite,
        OperationAccess.AdminRead => Level is PermissionLevel.AdminReadWrite or PermissionLevel.AdminRead,
        OperationAccess.ObjectRead => Reaches(bucket),
        OperationAccess.ObjectWrite => CanWrite && Reaches(bucket),
        OperationAccess.ObjectCopy => CanWrite && Reaches(bucket) && (sourceBucket is null || Reaches(sourceBucket)),
        _ => false,
    };

    /// <summary>Whether the key reaches <paramref name="bucket"/> at all (ListBuckets shows only those).</summary>
    public bool Reaches(string? bucket) =>
        Buckets is null || (bucket is not null && Buckets.Contains(bucket, StringComparer.Ordinal));

    private bool CanWrite => Level is PermissionLevel.AdminReadWrite or PermissionLevel.ObjectReadWrite;

    public bool Equals(AccessGrant? other) =>
        other is not null && Level == other.Level && (Buckets ?? []).SequenceEqual(other.Buckets ?? [], StringComparer.Ordinal) && (Buckets is null) == (other.Buckets is null);

    public override int GetHashCode() => HashCode.Combine(Level, Buckets?.Count);

    public override string ToString() => Buckets is null ? PermissionLevels.Name(Level) : $"{PermissionLevels.Name(Level)} on {string.Join(',', Buckets)}";
}
