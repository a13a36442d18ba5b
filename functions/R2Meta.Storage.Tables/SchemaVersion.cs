using Azure.Data.Tables;

namespace R2Meta.Storage.Tables;

/// <summary>The schema version every entity carries; readers accept the current and the previous one.</summary>
internal static class SchemaVersion
{
    public const string PropertyName = "SchemaVersion";

    public const int Current = 1;

    public static void Check(TableEntity entity)
    {
        var version = entity.GetInt32(PropertyName) ?? 0;
        if (version != Current && version != Current - 1)
        {
            throw new InvalidOperationException(
                $"Entity {entity.PartitionKey}/{entity.RowKey} has schema version {version}; this build reads {Current - 1} and {Current}.");
        }
    }
}
