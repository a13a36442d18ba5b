using R2Meta.Domain.Clusters;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Clusters;

public sealed class ClusterSetTests
{
    [Fact]
    public void BucketState_Values_AreStable()
    {
        // Persisted in directory entries and cluster records: a renumbering would misread every moving bucket.
        string[] expected = ["Active=0", "Copying=1", "Fenced=2", "Switching=3", "CleaningUp=4", "Deleting=5", "Incoming=6"];
        Assert.Equal(expected, Enum.GetValues<BucketState>().Select(v => $"{v}={(int)v}"));
    }

    [Fact]
    public void Place_LocationLabel_PicksThatLocationsCluster_UnknownIsNull()
    {
        var set = new ClusterSet([Cluster("a", "wnam", 1), Cluster("b", "weur", 1)]);

        Assert.Equal("b", set.Place("bucket", "weur")!.Name);
        Assert.Equal("a", set.Place("bucket", "WNAM")!.Name);
        Assert.Null(set.Place("bucket", "mars"));
    }

    [Fact]
    public void Place_NoConstraint_FollowsWeights()
    {
        var set = new ClusterSet([Cluster("a", "wnam", 0), Cluster("b", "weur", 3), Cluster("c", "apac", 1)]);
        var placed = Enumerable.Range(0, 400).Select(i => set.Place($"bucket-{i}", null)!.Name).ToList();

        Assert.DoesNotContain("a", placed);
        Assert.InRange(placed.Count(n => n == "b"), 240, 360);
        Assert.Equal(set.Place("bucket-7", "auto"), set.Place("bucket-7", null));
    }

    [Fact]
    public void Place_OneCluster_AcceptsAnyConstraint()
    {
        var set = new ClusterSet([Cluster("default", "auto", 1)]);

        Assert.Equal("default", set.Place("bucket", "us-west-2")!.Name);
        Assert.False(set.IsMulti);
    }

    [Fact]
    public void StoreName_RoundTripsToTheBucket()
    {
        Assert.Equal("my.bucket", BucketPlacement.BucketOf(BucketPlacement.StoreNameOf("my.bucket", "0123abcd")));
        Assert.Equal("legacy", BucketPlacement.StoreNameOf("legacy", null));
    }

    private static MetadataCluster Cluster(string name, string location, int weight) => new(name, location, weight, null!, null!, null!);
}
