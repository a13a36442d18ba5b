using System.Diagnostics;
using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.EndToEnd.Tests.Maintenance;
using Xunit.Abstractions;
using LifecycleFilter = Amazon.S3.Model.LifecycleFilter;
using LifecycleRule = Amazon.S3.Model.LifecycleRule;

namespace R2Meta.EndToEnd.Tests.Lifecycle;

/// <summary>
/// What a lifecycle run costs: a bucket of N objects (R2META_LIFECYCLE_MEASURE_OBJECTS, default 2,000) of which 1% lie under
/// the rule's prefix. The run reads only the prefix's records and prints its time and store requests. The measurement:
/// <c>R2META_LIFECYCLE_MEASURE_OBJECTS=100000 script/test --filter "FullyQualifiedName~TablesLifecycleCostTests"</c>
/// (the numbers are in the test's output: add <c>--logger "console;verbosity=detailed"</c>).
/// </summary>
public abstract class LifecycleCostTests(R2MetaHost host, ITestOutputHelper output)
{
    private static int Objects =>
        Environment.GetEnvironmentVariable("R2META_LIFECYCLE_MEASURE_OBJECTS") is { Length: > 0 } n ? int.Parse(n, CultureInfo.InvariantCulture) : 2000;

    [Fact]
    public async Task Run_OnePercentUnderThePrefix_ReadsOnlyThePrefixAndDeletesIt()
    {
        using var s3 = S3Clients.PathStyle(host);
        var bucket = Names.Bucket("lccost");
        await s3.PutBucketAsync(bucket);
        var matching = await SeedAsync(bucket, Objects);
        await s3.PutLifecycleConfigurationAsync(bucket, new LifecycleConfiguration
        {
            Rules = [new LifecycleRule { Id = "logs", Filter = new LifecycleFilter { Prefix = "logs/" }, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Days = 1 } }],
        });
        var job = new LifecycleJob(
            host.Blobs, host.Metadata, host.Services.GetRequiredService<IVersionStore>(), host.Services.GetRequiredService<IUploadStore>(),
            host.Services.GetRequiredService<ObjectCommitter>(), host.Services.GetRequiredService<UploadAborter>(),
            new LifecycleOptions { MaxRecordsPerScan = int.MaxValue }, new FixedTimeProvider(DateTimeOffset.UtcNow), NullLogger<LifecycleJob>.Instance);
        var record = (await host.Metadata.GetBucketAsync(bucket)).Value!;

        var clock = Stopwatch.StartNew();
        using var trips = StoreRoundTrips.Begin();
        var result = await job.RunBucketAsync(record);
        clock.Stop();
        output.WriteLine(
            $"{host.Backend}: lifecycle run over {Objects} objects, {matching} under the rule's prefix: {clock.Elapsed.TotalSeconds:F2} s, " +
            $"{trips.Count} metadata store requests ({(double)trips.Count / matching:F2} per expired object), {result.Read} records read, " +
            $"{result.Expired} expired, {result.Expired} blob deletes");

        Assert.Equal(matching, result.Read);
        Assert.Equal(matching, result.Expired);
        var left = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "logs/" });
        Assert.Empty(left.S3Objects ?? []);
        var kept = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "keep/", MaxKeys = 1 });
        Assert.Single(kept.S3Objects);
    }

    /// <summary>Straight into the metadata store, 10 days old (blobs are not written: deleting a missing blob is a no-op).</summary>
    private async Task<int> SeedAsync(string bucket, int objects)
    {
        var created = DateTimeOffset.UtcNow.AddDays(-10);
        var matching = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, objects), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var under = i % 100 == 0;
            if (under)
            {
                Interlocked.Increment(ref matching);
            }

            var record = new ObjectRecord
            {
                Bucket = bucket,
                Key = (under ? "logs/" : "keep/") + i.ToString("D7", CultureInfo.InvariantCulture),
                BlobName = $"{bucket}/seed-{i}",
                Size = 1,
                ETag = "\"c4ca4238a0b923820dcc509a6f75849b\"",
                LastModified = created,
            };
            await host.Metadata.PutObjectAsync(record, WriteCondition.IfAbsent, ct);
        });
        return matching;
    }
}

public sealed class TablesLifecycleCostTests(TablesHost host, ITestOutputHelper output) : LifecycleCostTests(host, output), IClassFixture<TablesHost>;

public sealed class CosmosLifecycleCostTests(LargeCosmosHost host, ITestOutputHelper output) : LifecycleCostTests(host, output), IClassFixture<LargeCosmosHost>;
