using Azure.Data.Tables;

namespace R2Meta.Storage.Tables;

/// <summary>
/// The schema version every entity carries; readers accept the current and the previous one.
/// 2: an object's or upload's content headers are one property (<see cref="HeadersProperty"/>); 1: one property each.
/// <see cref="Versioned"/> (3): an object of a versioned bucket, current or in the history, with its version id and
/// flags; everything else is still written as 2, so unversioned buckets keep their shape and version 1 stays
/// readable. A build that knows only 1 and 2 refuses a versioned entity instead of serving a delete marker as an object.
/// <see cref="Clustered"/> (4): a bucket entity that is a directory entry or a cluster's record of a bucket placed
/// by the bucket directory (cluster, incarnation, state); buckets created before clusters keep 2.
/// </summary>
internal static class SchemaVersion
{
    public const string PropertyName = "SchemaVersion";

    public const int Current = 2;

    public const int Previous = Current - 1;

    public const int Versioned = Current + 1;

    public const int Clustered = Current + 2;

    public static int Of(TableEntity entity) => entity.GetInt32(PropertyName) ?? 0;

    /// <summary>A bucket entity may also carry <see cref="Clustered"/>; no other kind does.</summary>
    public static void CheckBucket(TableEntity entity)
    {
        if (Of(entity) != Clustered)
        {
            Check(entity);
        }
    }

    public static void Check(TableEntity entity)
    {
        var version = Of(entity);
        if (version is not (Current or Previous or Versioned))
        {
            throw new InvalidOperationException(
                $"Entity {entity.PartitionKey}/{entity.RowKey} has schema version {version}; this build reads {Previous} to {Versioned}.");
        }
    }
}
