using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Notifications;

/// <summary>What a commit should notify about: the bucket's configuration (read through the bucket cache) and the event type.</summary>
public sealed record EventIntent(NotificationConfiguration Configuration, string EventName, string Region, string BucketOwner)
{
    /// <summary>
    /// The intent of an <paramref name="eventName"/> in <paramref name="bucket"/>; null — nothing recorded, nothing
    /// paid — when the bucket never had a notification configuration. A bucket whose configuration was emptied still
    /// gets one (matching nothing): its keys may hold undelivered events, which its commits must carry on.
    /// </summary>
    public static EventIntent? For(BucketRecord bucket, string eventName)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return bucket.Notifications is { } configuration ? new EventIntent(configuration, eventName, bucket.Region, bucket.OwnerId) : null;
    }
}

/// <summary>
/// Turns a commit into the pending events recorded with it (see <see cref="PendingEvent"/>): one per matching queue
/// configuration, stamped with a sequencer that increases per key — the commit time's ticks, or one more than the
/// ticks of the version it supersedes when the clock is behind (conditional writes order a key's commits, so each
/// commit sees its predecessor). A key deleted and written again starts from the clock: that order holds as long as
/// host clocks agree to within the time between the two requests.
/// </summary>
public static class EventRecorder
{
    /// <summary>
    /// <paramref name="record"/> as it must be committed: carrying the events its commit causes plus those still pending on
    /// the record it replaces (<paramref name="existing"/>; a store that keeps events apart never returns any on a read).
    /// With an intent the list is never null (empty: none), which tells the store the bucket notifies (Cosmos then
    /// looks for a delete's tombstone where a create finds the key taken; other buckets pay no such read).
    /// </summary>
    public static ObjectRecord Attach(ObjectRecord record, ObjectRecord? existing, EventIntent? intent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var fresh = Events(intent, record, existing, now, removal: record.IsDeleteMarker);
        var pending = Merge(existing?.PendingEvents, fresh);
        return record with { PendingEvents = intent is null ? pending : pending ?? [] };
    }

    /// <summary>The events of removing <paramref name="removed"/> (a delete or a version delete); empty without an intent.</summary>
    public static IReadOnlyList<PendingEvent> Removal(EventIntent? intent, ObjectRecord removed, DateTimeOffset now) =>
        Events(intent, removed, removed, now, removal: true) ?? [];

    /// <summary>Pending events of both lists; null when there are none (the record then carries none).</summary>
    public static IReadOnlyList<PendingEvent>? Merge(IReadOnlyList<PendingEvent>? first, IReadOnlyList<PendingEvent>? second) =>
        (first?.Count ?? 0) + (second?.Count ?? 0) == 0 ? null : [.. first ?? [], .. second ?? []];

    public static string Sequencer(DateTimeOffset now, ObjectRecord? previous)
    {
        var ticks = now.UtcTicks;
        if (previous is not null && previous.LastModified.UtcTicks >= ticks)
        {
            ticks = previous.LastModified.UtcTicks + 1;
        }

        return ticks.ToString("X16", CultureInfo.InvariantCulture);
    }

    private static IReadOnlyList<PendingEvent>? Events(EventIntent? intent, ObjectRecord subject, ObjectRecord? previous, DateTimeOffset now, bool removal)
    {
        if (intent is null)
        {
            return null;
        }

        var matching = intent.Configuration.Matching(intent.EventName, subject.Key).ToList();
        if (matching.Count == 0)
        {
            return null;
        }

        var sequencer = Sequencer(now, previous);
        var origin = EventOrigin.Current;
        return [.. matching.Select(q => new PendingEvent
        {
            Id = EventId(sequencer, subject.Key, q.Id),
            Bucket = subject.Bucket,
            Key = subject.Key,
            EventName = intent.EventName,
            EventTime = now,
            Sequencer = sequencer,
            ConfigurationId = q.Id,
            Queue = q.QueueName,
            Region = intent.Region,
            BucketOwner = intent.BucketOwner,
            Size = removal ? 0 : subject.Size,
            ETag = removal ? null : subject.ETag.Trim('"'),
            VersionId = subject.VersionId is null ? null : subject.S3VersionId,
            PrincipalId = origin?.PrincipalId,
            SourceIp = origin?.Source?.ToString(),
            RequestId = origin?.RequestId,
        })];
    }

    /// <summary>Sequencer first, so a bucket's outbox sorts in commit order; then a hash of key and configuration (ids hold any text).</summary>
    private static string EventId(string sequencer, string key, string configurationId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key + "\n" + configurationId));
        return sequencer + "-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }
}
