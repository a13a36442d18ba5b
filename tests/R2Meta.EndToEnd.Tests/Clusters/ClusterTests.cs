using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.Domain.Clusters;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Server;

namespace R2Meta.EndToEnd.Tests.Clusters;

/// <summary>Placement, GetBucketLocation, ListBuckets and delete-and-recreate across two metadata clusters, per backend.</summary>
public abstract class ClusterTests
{
    private readonly TwoClusterHost _host;

    protected ClusterTests(TwoClusterHost host) => _host = host;

    [Fact]
    public async Task CreateBucket_WithoutConstraint_PolicyPutsBucketsOnBothClusters()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var locations = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var bucket = Names.Bucket("policy");
            await s3.PutBucketAsync(bucket);
            locations.Add((await s3.GetBucketLocationAsync(bucket)).Location.Value);
            var entry = await _host.EntryAsync(bucket);
            var stored = await _host.Clusters.Get(entry.Cluster).Metadata.GetBucketAsync(BucketPlacement.StoreNameOf(bucket, entry.Incarnation));
            Assert.True(stored.IsOk);
            Assert.Equal(entry.Cluster == TwoClusterHost.SecondName ? TwoClusterHost.SecondLocation : TwoClusterHost.HomeLocation, locations[^1]);
        }

        Assert.Contains(TwoClusterHost.HomeLocation, locations);
        Assert.Contains(TwoClusterHost.SecondLocation, locations);
    }

    [Theory]
    [InlineData(TwoClusterHost.HomeLocation, "default")]
    [InlineData(TwoClusterHost.SecondLocation, TwoClusterHost.SecondName)]
    public async Task CreateBucket_WithLocationConstraint_LandsOnThatLocationsCluster(string location, string cluster)
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("loc");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = location });

        Assert.Equal(location, (await s3.GetBucketLocationAsync(bucket)).Location.Value);
        Assert.Equal(cluster, (await _host.EntryAsync(bucket)).Cluster);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        var entry = await _host.EntryAsync(bucket);
        var stored = await _host.Clusters.Get(cluster).Metadata.GetObjectAsync(BucketPlacement.StoreNameOf(bucket, entry.Incarnation), "k");
        Assert.True(stored.IsOk);
    }

    [Fact]
    public async Task CreateBucket_UnknownLocation_IsInvalidLocationConstraint()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync(new PutBucketRequest { BucketName = Names.Bucket("bad"), BucketRegionName = "mars-1" }));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("InvalidLocationConstraint", error.ErrorCode);
    }

    [Fact]
    public async Task ListBuckets_SpansBothClusters()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var home = Names.Bucket("lh");
        var second = Names.Bucket("ls");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = home, BucketRegionName = TwoClusterHost.HomeLocation });
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = second, BucketRegionName = TwoClusterHost.SecondLocation });

        var listed = (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName).ToList();
        Assert.Contains(home, listed);
        Assert.Contains(second, listed);
        Assert.DoesNotContain(listed, name => name.Contains(BucketPlacement.Separator, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteAndRecreateOnOtherCluster_InstanceWithStaleCacheEntry_SeesOnlyTheNewBucket()
    {
        await using var other = await OtherInstance.StartAsync(_host);
        using var s3 = S3Clients.PathStyle(_host);
        using var stale = other.Client();
        var bucket = Names.Bucket("recreate");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = TwoClusterHost.HomeLocation });
        var first = await _host.EntryAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "old", ContentBody = "old" });
        // The other instance now remembers the first incarnation.
        Assert.Equal("old", await ReadAsync(stale, bucket, "old"));

        await s3.DeleteObjectAsync(bucket, "old");
        await s3.DeleteBucketAsync(bucket);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = TwoClusterHost.SecondLocation });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "new", ContentBody = "new" });

        // Within the cache TTL: the stale instance reads the new incarnation, never the old (empty) one.
        Assert.Equal("new", await ReadAsync(stale, bucket, "new"));
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => stale.GetObjectAsync(bucket, "old"));
        Assert.Equal("NoSuchKey", gone.ErrorCode);
        var listed = await stale.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(["new"], listed.S3Objects.Select(o => o.Key));

        // A write through the stale instance costs a retry and lands in the new bucket, nowhere else.
        await RetryAsync(() => stale.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "via-stale", ContentBody = "s" }));
        Assert.Equal("s", await ReadAsync(s3, bucket, "via-stale"));
        var oldStore = BucketPlacement.StoreNameOf(bucket, first.Incarnation);
        Assert.Empty(await _host.Clusters.Home.Versions.ReadCurrentAsync(oldStore, string.Empty, null, 10));
        Assert.False((await _host.Clusters.Home.Metadata.GetBucketAsync(oldStore)).IsOk);
    }

    [Fact]
    public async Task WriteThroughStaleEntry_AfterBucketDeleted_NeverLandsAndEndsInNoSuchBucket()
    {
        await using var other = await OtherInstance.StartAsync(_host);
        using var s3 = S3Clients.PathStyle(_host);
        using var stale = other.Client();
        var bucket = Names.Bucket("deleted");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = TwoClusterHost.SecondLocation });
        var entry = await _host.EntryAsync(bucket);
        await stale.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a", ContentBody = "a" });
        await stale.DeleteObjectAsync(bucket, "a");
        await s3.DeleteBucketAsync(bucket);

        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => RetryAsync(() => stale.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "late", ContentBody = "x" })));
        Assert.Equal("NoSuchBucket", error.ErrorCode);
        Assert.Empty(await _host.Second.Versions.ReadCurrentAsync(BucketPlacement.StoreNameOf(bucket, entry.Incarnation), string.Empty, null, 10));
    }

    [Fact]
    public async Task BucketsCommand_Show_PrintsTheDirectoryEntry()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("show");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = TwoClusterHost.SecondLocation });
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await BucketsCommand.RunAsync(["show", bucket], output, error, _host.HostSettings);

        Assert.Equal(0, code);
        Assert.Contains($"cluster={TwoClusterHost.SecondName} location={TwoClusterHost.SecondLocation}", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("state=Active", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutBucketNotificationConfiguration_SeveralClusters_IsNotImplementedAndStoresNothing()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("notify");
        await s3.PutBucketAsync(bucket);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            QueueConfigurations = [new QueueConfiguration { Id = "q", Queue = "arn:aws:sqs:auto:0:uploads", Events = [EventType.ObjectCreatedAll] }],
        }));

        Assert.Equal(HttpStatusCode.NotImplemented, error.StatusCode);
        Assert.Equal("NotImplemented", error.ErrorCode);
        Assert.Empty((await s3.GetBucketNotificationAsync(bucket)).QueueConfigurations ?? []);
    }

    internal static async Task<string> ReadAsync(IAmazonS3 s3, string bucket, string key)
    {
        using var get = await s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(get.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Retries 503s (a fenced write, a stale entry) for up to 20 s, as a client's retry policy would.</summary>
    internal static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}

public sealed class TablesClusterTests(TablesTwoClusterHost host) : ClusterTests(host), IClassFixture<TablesTwoClusterHost>;

public sealed class CosmosClusterTests(CosmosTwoClusterHost host) : ClusterTests(host), IClassFixture<CosmosTwoClusterHost>;
