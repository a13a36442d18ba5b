using R2Meta.EndToEnd.Tests.Listing;
using R2Meta.EndToEnd.Tests.Objects;
using R2Meta.EndToEnd.Tests.Versioning;

namespace R2Meta.EndToEnd.Tests.Clusters;

// The object contract classes, run against buckets the placement policy puts on the second metadata cluster.
public sealed class TablesSecondClusterObjectTests(TablesSecondClusterHost host) : ObjectTests(host), IClassFixture<TablesSecondClusterHost>;

public sealed class CosmosSecondClusterObjectTests(CosmosSecondClusterHost host) : ObjectTests(host), IClassFixture<CosmosSecondClusterHost>;

public sealed class TablesSecondClusterCopyTests(TablesSecondClusterHost host) : CopyTests(host), IClassFixture<TablesSecondClusterHost>;

public sealed class CosmosSecondClusterCopyTests(CosmosSecondClusterHost host) : CopyTests(host), IClassFixture<CosmosSecondClusterHost>;

public sealed class TablesSecondClusterMultipartTests(TablesSecondClusterHost host) : MultipartTests(host), IClassFixture<TablesSecondClusterHost>;

public sealed class CosmosSecondClusterMultipartTests(CosmosSecondClusterHost host) : MultipartTests(host), IClassFixture<CosmosSecondClusterHost>;

public sealed class TablesSecondClusterTaggingTests(TablesSecondClusterHost host) : TaggingTests(host), IClassFixture<TablesSecondClusterHost>;

public sealed class CosmosSecondClusterTaggingTests(CosmosSecondClusterHost host) : TaggingTests(host), IClassFixture<CosmosSecondClusterHost>;

public sealed class TablesSecondClusterVersioningTests(TablesSecondClusterHost host) : VersioningTests(host), IClassFixture<TablesSecondClusterHost>;

public sealed class CosmosSecondClusterVersioningTests(CosmosSecondClusterHost host) : VersioningTests(host), IClassFixture<CosmosSecondClusterHost>;

public sealed class TablesSecondClusterListingTests(TablesSecondClusterHost host) : ListingTests(host), IClassFixture<TablesSecondClusterHost>;

public sealed class CosmosSecondClusterListingTests(CosmosSecondClusterHost host) : ListingTests(host), IClassFixture<CosmosSecondClusterHost>;

public sealed class TablesSecondClusterBucketTests(TablesSecondClusterHost host) : Buckets.BucketTests(host), IClassFixture<TablesSecondClusterHost>
{
    protected override (string Constraint, string Location) LocationCase => (TwoClusterHost.SecondLocation, TwoClusterHost.SecondLocation);
}

public sealed class CosmosSecondClusterBucketTests(CosmosSecondClusterHost host) : Buckets.BucketTests(host), IClassFixture<CosmosSecondClusterHost>
{
    protected override (string Constraint, string Location) LocationCase => (TwoClusterHost.SecondLocation, TwoClusterHost.SecondLocation);
}

public sealed class TablesSecondClusterStorageClassTests(TablesSecondClusterHost host) : StorageClassTests(host), IClassFixture<TablesSecondClusterHost>;

public sealed class CosmosSecondClusterStorageClassTests(CosmosSecondClusterHost host) : StorageClassTests(host), IClassFixture<CosmosSecondClusterHost>;

public sealed class TablesSecondClusterLifecycleJobTests(TablesSecondClusterHost host) : Lifecycle.LifecycleJobTests(host), IClassFixture<TablesSecondClusterHost>;

public sealed class CosmosSecondClusterLifecycleJobTests(CosmosSecondClusterHost host) : Lifecycle.LifecycleJobTests(host), IClassFixture<CosmosSecondClusterHost>;
