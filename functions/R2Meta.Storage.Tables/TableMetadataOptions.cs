namespace R2Meta.Storage.Tables;

/// <summary>Where the Table Storage metadata lives.</summary>
public sealed record TableMetadataOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>Prepended to the table names (<c>{prefix}buckets</c>, <c>{prefix}objects</c>); letters and digits only.</summary>
    public string TablePrefix { get; init; } = "r2meta";
}
