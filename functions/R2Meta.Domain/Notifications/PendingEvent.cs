namespace R2Meta.Domain.Notifications;

/// <summary>
/// One event message waiting for delivery to one queue: recorded in the same store transaction (Tables) or the same
/// document (Cosmos) as the commit that caused it, removed by the dispatcher after the queue accepted it. Holds
/// everything the message needs, so delivery reads nothing else. Persisted: additions stay optional.
/// </summary>
public sealed record PendingEvent
{
    /// <summary>Unique per event and destination; the outbox row / array entry is found and cleared by it.</summary>
    public required string Id { get; init; }
    public required string Bucket { get; init; }
    public required string Key { get; init; }
    /// <summary>With "s3:" ("s3:ObjectCreated:Put").</summary>
    public required string EventName { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    /// <summary>16 upper-case hex digits, increasing per key (<see cref="EventRecorder"/>); the dispatcher sends in this order.</summary>
    public required string Sequencer { get; init; }
    public required string ConfigurationId { get; init; }
    public required string Queue { get; init; }
    public string Region { get; init; } = "auto";
    public string? BucketOwner { get; init; }
    public long Size { get; init; }
    /// <summary>Unquoted, as S3's messages carry it; empty for removals.</summary>
    public string? ETag { get; init; }
    /// <summary>The S3 version id for versioned buckets; null otherwise.</summary>
    public string? VersionId { get; init; }
    public string? PrincipalId { get; init; }
    public string? SourceIp { get; init; }
    public string? RequestId { get; init; }
}
