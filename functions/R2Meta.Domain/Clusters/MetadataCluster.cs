using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Clusters;

/// <summary>
/// One metadata cluster (a Cosmos DB account/database or a Table Storage account/prefix) with its stores. Buckets are
/// placed on clusters by <see cref="ClusterSet.Place"/> and found through the bucket directory on the home cluster.
/// </summary>
/// <param name="Name">Unique, stable: directory entries name it.</param>
/// <param name="Location">The location label LocationConstraint selects (as R2's location hints) and GetBucketLocation answers.</param>
/// <param name="Weight">Share of new buckets without a LocationConstraint; 0 takes none.</param>
public sealed record MetadataCluster(string Name, string Location, int Weight, IMetadataStore Metadata, IVersionStore Versions, IUploadStore Uploads)
{
    /// <summary>The name of the cluster the single-store settings describe.</summary>
    public const string DefaultName = "default";
}
