using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.EndToEnd.Tests.Listing;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Versioning;

/// <summary>
/// Versions must not make current objects dearer: with 1,000 keys of 20 versions each (19 in the history), a
/// ListObjectsV2 page of 1,000 keys and a GET of a current object cost what they cost without versions, because
/// the history lies in a key range of its own. Round trips come from the x-r2meta-store-round-trips header.
/// </summary>
public abstract class VersioningCostTests
{
    private const int Keys = 1000;
    private const int VersionsPerKey = 20;
    private readonly R2MetaHost _host;
    private readonly ITestOutputHelper _output;

    protected VersioningCostTests(R2MetaHost host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
    }

    [Fact]
    public async Task ListObjectsV2_1000KeysOf20Versions_PageOf1000CostsAtMostThreeRoundTrips()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("vcost");
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        await SeedAsync(bucket);

        var (page, trips) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2");
        var (directory, directoryTrips) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2&delimiter=%2F");
        var (versions, versionTrips) = await ListingSeed.GetAsync(_host, $"/{bucket}?versions&max-keys=1000");
        using var get = await RawRequests.SendSignedAsync(_host, HttpMethod.Head, $"/{bucket}/k0500");
        _output.WriteLine($"{_host.Backend}, {Keys} keys x {VersionsPerKey} versions: ListObjectsV2 page of 1000 {trips} round trips, delimited {directoryTrips}; ListObjectVersions page of 1000 {versionTrips}");

        Assert.Equal(Keys, ListingSeed.Values(page, "Contents/Key").Count());
        Assert.Equal("false", ListingSeed.Value(page, "IsTruncated"));
        Assert.InRange(trips, 1, 3);
        Assert.Equal(Keys, ListingSeed.Values(directory, "Contents/Key").Count());
        Assert.InRange(directoryTrips, 1, 3);
        Assert.Equal(1000, ListingSeed.Values(versions, "Version/Key").Count());
        Assert.Equal(["k0000"], ListingSeed.Values(versions, "Version/Key").Distinct().Take(1));
        Assert.Equal(System.Net.HttpStatusCode.OK, get.StatusCode);
    }

    /// <summary>Straight through the stores (as the listing seed does): each key's current record and 19 history entries.</summary>
    private async Task SeedAsync(string bucket)
    {
        var versions = (IVersionStore)_host.Metadata;
        var start = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, Keys), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var key = $"k{i:D4}";
            for (var v = 0; v < VersionsPerKey; v++)
            {
                var time = start.AddSeconds(v);
                var record = new ObjectRecord
                {
                    Bucket = bucket, Key = key, BlobName = $"seed-{i}-{v}", Size = v, ETag = "\"d41d8cd98f00b204e9800998ecf8427e\"", LastModified = time,
                    VersionId = VersionIds.New(time),
                };
                if (v < VersionsPerKey - 1)
                {
                    await versions.PutVersionAsync(record, ct);
                }
                else if (!(await _host.Metadata.PutObjectAsync(record, WriteCondition.IfAbsent, ct)).IsOk)
                {
                    throw new InvalidOperationException($"Seeding {key} failed.");
                }
            }
        });
    }
}

public sealed class TablesVersioningCostTests(TablesHost host, ITestOutputHelper output) : VersioningCostTests(host, output), IClassFixture<TablesHost>;

public sealed class CosmosVersioningCostTests(LargeCosmosHost host, ITestOutputHelper output) : VersioningCostTests(host, output), IClassFixture<LargeCosmosHost>;
