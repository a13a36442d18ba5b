using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Clusters;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Clusters;

/// <summary>
/// A host with two metadata clusters: "default" (location wnam, the emulators' first account or cosmosdb-server) and
/// "second" (location weur, script/test's second Azurite account or second cosmosdb-server).
/// </summary>
public abstract class TwoClusterHost(Backend backend, int homeWeight = 1, int secondWeight = 1) : R2MetaHost(backend)
{
    public const string HomeLocation = "wnam";
    public const string SecondLocation = "weur";
    public const string SecondName = "second";

    public ClusterSet Clusters => Services.GetRequiredService<ClusterSet>();

    public MetadataCluster Second => Clusters.Get(SecondName);

    protected override IReadOnlyDictionary<string, string?> CreateSettings()
    {
        var suffix = NewSuffix();
        return new Dictionary<string, string?>(Settings(Backend, suffix))
        {
            ["R2META_CLUSTER_LOCATION"] = HomeLocation,
            ["R2META_CLUSTER_WEIGHT"] = homeWeight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["R2META_CLUSTERS:0:NAME"] = SecondName,
            ["R2META_CLUSTERS:0:LOCATION"] = SecondLocation,
            ["R2META_CLUSTERS:0:WEIGHT"] = secondWeight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["R2META_CLUSTERS:0:STORAGE_CONNECTION"] = Emulators.Cluster2StorageConnection,
            ["R2META_CLUSTERS:0:TABLE_PREFIX"] = "u" + suffix,
            ["R2META_CLUSTERS:0:COSMOS_ENDPOINT"] = Emulators.Cluster2CosmosEndpoint,
            ["R2META_CLUSTERS:0:COSMOS_DATABASE"] = "dc" + suffix,
            ["R2META_BUCKET_MOVE_GRACE_SECONDS"] = "2.5",
        };
    }

    /// <summary>The bucket's directory entry, read from the home cluster.</summary>
    public async Task<BucketRecord> EntryAsync(string bucket) =>
        (await Clusters.Home.Metadata.GetBucketAsync(bucket)).Value ?? throw new InvalidOperationException($"No directory entry for {bucket}.");
}

public sealed class TablesTwoClusterHost() : TwoClusterHost(Backend.Tables);

public sealed class CosmosTwoClusterHost() : TwoClusterHost(Backend.Cosmos);

/// <summary>Every new bucket lands on the second cluster (the home cluster's weight is 0): the contract classes run there.</summary>
public sealed class TablesSecondClusterHost() : TwoClusterHost(Backend.Tables, homeWeight: 0);

/// <inheritdoc cref="TablesSecondClusterHost"/>
public sealed class CosmosSecondClusterHost() : TwoClusterHost(Backend.Cosmos, homeWeight: 0);
