using Azure.Core;
using R2Meta.Domain.Storage;
using R2Meta.Hosting.Telemetry;
using R2Meta.Storage.Cosmos;
using R2Meta.Storage.Tables;

namespace R2Meta.Hosting;

/// <summary>Builds the metadata adapter of one cluster (it implements every metadata port and the store probe).</summary>
internal static class MetadataStores
{
    /// <param name="cluster">An extra cluster's settings; null: the home cluster, described by the single-store settings.</param>
    public static IMetadataStore Create(R2MetaSettings settings, ClusterSettings? cluster, Lazy<TokenCredential> identity)
    {
        if (settings.Metadata == MetadataBackend.Cosmos)
        {
            return new CosmosMetadataStore(new CosmosMetadataOptions
            {
                Endpoint = cluster?.CosmosEndpoint ?? settings.CosmosEndpoint,
                Key = cluster?.CosmosKey ?? settings.CosmosKey,
                Credential = settings.CosmosUseIdentity ? identity.Value : null,
                Database = cluster?.CosmosDatabase ?? settings.CosmosDatabase,
                Mode = CosmosMetadataOptions.ParseConnectionMode(settings.CosmosConnectionMode),
                AcceptAnyServerCertificate = settings.CosmosAcceptAnyCertificate,
                // A local emulator advertises its bind address; stay on the configured endpoint.
                LimitToEndpoint = settings.CosmosLimitToEndpoint,
                ObjectsLayout = CosmosMetadataOptions.ParseObjectsLayout(settings.CosmosObjectsLayout),
                Calls = settings.StoreCalls,
            });
        }

        var tableUri = cluster is null ? settings.StorageTableUri : cluster.StorageTableUri ?? (cluster.StorageConnection is null ? settings.StorageTableUri : null);
        return new TableMetadataStore(new TableMetadataOptions
        {
            ConnectionString = cluster?.StorageConnection ?? settings.StorageConnection,
            ServiceUri = tableUri,
            Credential = tableUri is null ? null : identity.Value,
            TablePrefix = cluster?.TablePrefix ?? settings.TablePrefix,
            Calls = settings.StoreCalls,
            Policies = [StoreCallTiming.Tables],
        });
    }
}
