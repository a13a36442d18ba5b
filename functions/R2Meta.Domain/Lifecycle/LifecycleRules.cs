using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Lifecycle;

/// <summary>
/// When a lifecycle rule applies to an object and when it expires, as S3 computes it: a rule's filter holds when
/// every condition it sets holds; an age in days counts from the object's creation (or from when a version became
/// noncurrent) and is rounded up to the next midnight UTC.
/// </summary>
public static class LifecycleRules
{
    /// <summary>An expiry that applies to an object: when, and the rule that sets it (S3's x-amz-expiration).</summary>
    public readonly record struct Expiry(DateTimeOffset Date, string RuleId);

    public static bool Matches(LifecycleFilter filter, ObjectRecord record)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(record);
        return Matches(filter, record.Key, record.Size, record.Tags);
    }

    public static bool Matches(LifecycleFilter filter, string key, long size, IReadOnlyList<Tag>? tags)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(key);
        if (!key.StartsWith(filter.Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (filter.SizeGreaterThan is { } above && size <= above)
        {
            return false;
        }

        if (filter.SizeLessThan is { } below && size >= below)
        {
            return false;
        }

        return filter.Tags is not { Count: > 0 } wanted || wanted.All(t => tags is not null && tags.Contains(t));
    }

    /// <summary><paramref name="since"/> plus <paramref name="days"/>, rounded up to the next midnight UTC (S3's rule).</summary>
    public static DateTimeOffset After(DateTimeOffset since, int days)
    {
        var at = since.ToUniversalTime().AddDays(days);
        var midnight = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        return midnight == at ? midnight : midnight.AddDays(1);
    }

    /// <summary>
    /// The earliest expiry among the enabled rules that expire <paramref name="current"/> (a current version that is
    /// no delete marker), or null when none does. What x-amz-expiration names on GET, HEAD and PUT.
    /// </summary>
    public static Expiry? ExpiryOf(IReadOnlyList<LifecycleRule>? rules, ObjectRecord current)
    {
        ArgumentNullException.ThrowIfNull(current);
        Expiry? earliest = null;
        if (rules is null || current.IsDeleteMarker)
        {
            return null;
        }

        foreach (var rule in rules)
        {
            if (!rule.Enabled || !rule.ExpiresCurrent || !Matches(rule.Filter, current))
            {
                continue;
            }

            var date = rule.ExpirationDate ?? After(current.LastModified, rule.ExpirationDays!.Value);
            if (earliest is null || date < earliest.Value.Date)
            {
                earliest = new Expiry(date, rule.Id);
            }
        }

        return earliest;
    }

    /// <summary>Whether <paramref name="rule"/> expires the current version <paramref name="current"/> at <paramref name="now"/>.</summary>
    public static bool ExpiresCurrent(LifecycleRule rule, ObjectRecord current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(current);
        if (!rule.ExpiresCurrent || current.IsDeleteMarker || !Matches(rule.Filter, current))
        {
            return false;
        }

        var date = rule.ExpirationDate ?? After(current.LastModified, rule.ExpirationDays!.Value);
        return date <= now;
    }

    /// <summary>
    /// The storage class a Transition of <paramref name="rule"/> moves the current version <paramref name="current"/> to at
    /// <paramref name="now"/>, or null when none is due (or it is in that class already).
    /// </summary>
    public static string? TransitionOf(LifecycleRule rule, ObjectRecord current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(current);
        if (rule.Transitions is null || current.IsDeleteMarker || !Matches(rule.Filter, current))
        {
            return null;
        }

        return rule.Transitions.FirstOrDefault(t => t.StorageClass != current.StorageClass
            && (t.Date ?? After(current.LastModified, t.Days!.Value)) <= now)?.StorageClass;
    }

    /// <summary>
    /// The storage class a NoncurrentVersionTransition of <paramref name="rule"/> moves <paramref name="version"/> to, which
    /// became noncurrent at <paramref name="noncurrentSince"/> and is the <paramref name="rank"/>-th newest noncurrent
    /// version of its key; null when none is due.
    /// </summary>
    public static string? NoncurrentTransitionOf(LifecycleRule rule, ObjectRecord version, DateTimeOffset noncurrentSince, int rank, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(version);
        if (rule.NoncurrentTransitions is null || version.IsDeleteMarker || !Matches(rule.Filter, version))
        {
            return null;
        }

        return rule.NoncurrentTransitions.FirstOrDefault(t => t.StorageClass != version.StorageClass
            && rank > (t.NewerNoncurrentVersions ?? 0)
            && After(noncurrentSince, t.Days!.Value) <= now)?.StorageClass;
    }
}
