using Azure.Data.Tables;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

public sealed partial class TableMetadataStore : IStoreProbe
{
    private const string ProbeKey = "r2meta-probe";

    /// <summary>A point read of a row that never exists: a 404 is the store answering, and costs no scan.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken = default) =>
        _buckets.GetEntityIfExistsAsync<TableEntity>(ProbeKey, ProbeKey, select: ["PartitionKey"], cancellationToken);
}
