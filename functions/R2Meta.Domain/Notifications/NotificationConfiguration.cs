namespace R2Meta.Domain.Notifications;

/// <summary>
/// A bucket's PutBucketNotificationConfiguration: its queue configurations. Stored with the bucket; an empty list
/// means "none" (GetBucketNotificationConfiguration answers an empty document) but keeps the bucket known to the
/// dispatcher, which still drains events recorded before the configuration was removed.
/// </summary>
public sealed record NotificationConfiguration
{
    public IReadOnlyList<QueueNotification> Queues { get; init; } = [];

    /// <summary>The configurations an event <paramref name="eventName"/> (e.g. "s3:ObjectCreated:Put") on <paramref name="key"/> goes to.</summary>
    public IEnumerable<QueueNotification> Matching(string eventName, string key) =>
        Queues.Where(q => q.Matches(eventName, key));
}

/// <summary>
/// One QueueConfiguration: events (names or "…:*" wildcards, validated by <see cref="S3EventNames"/>) whose key
/// starts with <see cref="Prefix"/> and ends with <see cref="Suffix"/> (S3's FilterRules, case-sensitive) go to
/// <see cref="QueueArn"/>, whose last ':'-separated part names the Azure Storage queue (<see cref="QueueName"/>).
/// </summary>
public sealed record QueueNotification
{
    public required string Id { get; init; }
    public required string QueueArn { get; init; }
    public required IReadOnlyList<string> Events { get; init; }
    public string? Prefix { get; init; }
    public string? Suffix { get; init; }

    public string QueueName => QueueArns.QueueName(QueueArn)!;

    public bool Matches(string eventName, string key) =>
        Events.Any(e => S3EventNames.Covers(e, eventName))
        && (Prefix is null || key.StartsWith(Prefix, StringComparison.Ordinal))
        && (Suffix is null || key.EndsWith(Suffix, StringComparison.Ordinal));
}
