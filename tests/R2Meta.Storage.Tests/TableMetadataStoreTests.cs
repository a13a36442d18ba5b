using R2Meta.Core.Storage;
using R2Meta.Storage.Tables;

namespace R2Meta.Storage.Tests;

/// <summary>The metadata contract on Table Storage (Azurite locally; R2META_STORAGE_CONNECTION elsewhere).</summary>
public sealed class TableMetadataStoreTests : MetadataStoreContractTests
{
    protected override async Task<IMetadataStore> CreateStoreAsync()
    {
        var store = new TableMetadataStore(new TableMetadataOptions { ConnectionString = StorageTestEnvironment.ConnectionString, TablePrefix = "r2metatest" });
        await store.InitializeAsync();
        return store;
    }
}
