using System.Text.Json;
using Azure.Data.Tables;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// Rows of a bucket's notification outbox: pending events (<see cref="PendingEvent"/>) in the objects table, in the
/// bucket's partition, so the entity group transaction that commits an object (or deletes it) inserts them in the same
/// atomic batch. RowKey = <see cref="Mark"/> + the event's id, which starts with its sequencer, so the outbox reads in
/// commit order. <see cref="Mark"/> is above every object sort key and every directory index row
/// (<see cref="DirectoryEntityMapper.Mark"/>), so no object scan or directory read ever sees an outbox row.
/// </summary>
internal static class OutboxEntityMapper
{
    /// <summary>First character of every outbox RowKey.</summary>
    public const char Mark = '\uA000';

    /// <summary>The outbox range of a partition: [<see cref="From"/>, <see cref="To"/>).</summary>
    public static readonly string From = Mark.ToString();
    public static readonly string To = ((char)(Mark + 1)).ToString();

    private const string EventProperty = "Event";

    public static string RowKey(PendingEvent pending) => Mark + pending.Id;

    public static TableEntity ToEntity(PendingEvent pending) => new(pending.Bucket, RowKey(pending))
    {
        [SchemaVersion.PropertyName] = SchemaVersion.Current,
        [EventProperty] = JsonSerializer.Serialize(pending),
    };

    public static PendingEvent FromEntity(TableEntity entity)
    {
        SchemaVersion.Check(entity);
        return JsonSerializer.Deserialize<PendingEvent>(entity.GetString(EventProperty))!;
    }

    /// <summary>Insert actions of <paramref name="pending"/> for a commit's transaction (none for null).</summary>
    public static IEnumerable<TableTransactionAction> Inserts(IReadOnlyList<PendingEvent>? pending) =>
        (pending ?? []).Select(e => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(e)));

    public static int Count(ObjectRecord record) => record.PendingEvents?.Count ?? 0;
}
