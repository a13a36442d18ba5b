using Azure.Data.Tables;

namespace R2Meta.Storage.Tables;

/// <summary>
/// The schema version every entity carries; readers accept the current and the previous one.
/// 2: an object's or upload's content headers are one property (<see cref="HeadersProperty"/>); 1: one property each.
/// </summary>
internal static class SchemaVersion
{
    public const string PropertyName = "SchemaVersion";

    public const int Current = 2;

    public const int Previous = Current - 1;

    public static int Of(TableEntity entity) => entity.GetInt32(PropertyName) ?? 0;

    public static void Check(TableEntity entity)
    {
        var version = Of(entity);
        if (version != Current && version != Previous)
        {
            throw new InvalidOperationException(
                $"Entity {entity.PartitionKey}/{entity.RowKey} has schema version {version}; this build reads {Previous} and {Current}.");
        }
    }
}
