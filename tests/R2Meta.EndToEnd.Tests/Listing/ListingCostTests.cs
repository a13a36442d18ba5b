using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using R2Meta.Domain.Listing;
using R2Meta.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Listing;

/// <summary>
/// A listing costs store round trips per page, not per key in the bucket: a "/"-delimited listing of a
/// directory reads the directory index (one round trip a page), any other delimiter seeks past each
/// common prefix (one round trip per prefix). The count comes from the x-r2meta-store-round-trips
/// header (the same number feeds the r2meta.list.store_round_trips histogram).
/// </summary>
public abstract class ListingCostTests
{
    private const int TopLevelPrefixes = 10;
    private readonly R2MetaHost _host;
    private readonly ITestOutputHelper _output;

    protected ListingCostTests(R2MetaHost host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
    }

    private const int KeyCount = 20_000;

    [Fact]
    public async Task DelimiterListing_TopLevelOf20000KeysUnder10Prefixes_CostsAtMostThreeRoundTrips()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("cost");
        await s3.PutBucketAsync(bucket);
        var perPrefix = KeyCount / TopLevelPrefixes;
        var keys = Enumerable.Range(0, KeyCount).Select(i => $"p{i / perPrefix}/d{i % 10}/k{i:D6}");
        await ListingSeed.PutKeysAsync(_host, bucket, keys);

        var (full, fullTrips) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2&delimiter=%2F");
        Assert.Equal(Enumerable.Range(0, TopLevelPrefixes).Select(p => $"p{p}/"), ListingSeed.Values(full, "CommonPrefixes/Prefix"));
        Assert.Equal("false", ListingSeed.Value(full, "IsTruncated"));

        var (page, pageTrips) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2&delimiter=%2F&max-keys=2");
        Assert.Equal(["p0/", "p1/"], ListingSeed.Values(page, "CommonPrefixes/Prefix"));
        Assert.Equal("true", ListingSeed.Value(page, "IsTruncated"));

        var token = Uri.EscapeDataString(ListingSeed.Value(page, "NextContinuationToken")!);
        var (next, nextTrips) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2&delimiter=%2F&max-keys=2&continuation-token={token}");
        Assert.Equal(["p2/", "p3/"], ListingSeed.Values(next, "CommonPrefixes/Prefix"));

        var (v1, v1Trips) = await ListingSeed.GetAsync(_host, $"/{bucket}?delimiter=%2F&max-keys=2");
        Assert.Equal("p1/", ListingSeed.Value(v1, "NextMarker"));
        var (versions, versionTrips) = await ListingSeed.GetAsync(_host, $"/{bucket}?versions&delimiter=%2F&max-keys=2");
        Assert.Equal(["p0/", "p1/"], ListingSeed.Values(versions, "CommonPrefixes/Prefix"));

        _output.WriteLine($"{_host.Backend}, {KeyCount} keys: top level (10 prefixes) {fullTrips} round trips; max-keys=2 pages: V2 {pageTrips} then {nextTrips}, V1 {v1Trips}, versions {versionTrips}");

        // The directory index answers a page in one read; reading every key at 1,001 per read would take 20.
        Assert.InRange(fullTrips, 1, 3);
        Assert.InRange(pageTrips, 1, 3);
        Assert.InRange(nextTrips, 1, 3);
        Assert.InRange(v1Trips, 1, 3);
        Assert.InRange(versionTrips, 1, 3);
    }

    [Fact]
    public async Task PrefixListing_OnePageOfADeepPrefix_CostsOneRoundTrip()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("cost");
        await s3.PutBucketAsync(bucket);
        await ListingSeed.PutKeysAsync(_host, bucket, Enumerable.Range(0, 300).Select(i => $"a/k{i:D4}").Concat(Enumerable.Range(0, 300).Select(i => $"b/k{i:D4}")));

        var (page, trips) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2&prefix=b%2F&max-keys=100");
        Assert.Equal(100, ListingSeed.Values(page, "Contents/Key").Count());
        Assert.Equal("b/k0000", ListingSeed.Values(page, "Contents/Key").First());
        Assert.Equal(1, trips);
    }

    [Fact]
    public async Task RoundTripsMetric_RecordsEachListRequestWithItsOperation()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("cost");
        await s3.PutBucketAsync(bucket);
        await ListingSeed.PutKeysAsync(_host, bucket, ["a/1", "a/2", "b"]);

        var seen = new ConcurrentQueue<(int Value, string? Operation)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ListingMetrics.MeterName && instrument.Name == ListingMetrics.RoundTripsInstrument)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "operation")
                {
                    seen.Enqueue((value, tag.Value as string));
                }
            }
        });
        listener.Start();

        var (_, trips) = await ListingSeed.GetAsync(_host, $"/{bucket}?versions&delimiter=%2F");
        Assert.Equal(1, trips);
        Assert.Contains((trips, "ListObjectVersions"), seen);
    }
}

public sealed class TablesListingCostTests(TablesHost host, ITestOutputHelper output) : ListingCostTests(host, output), IClassFixture<TablesHost>;

public sealed class CosmosListingCostTests(LargeCosmosHost host, ITestOutputHelper output) : ListingCostTests(host, output), IClassFixture<LargeCosmosHost>;

/// <summary>
/// A delimiter listing that is not a directory of the index seeks past each common prefix. In a class of
/// its own: the Cosmos emulator scans a whole container per query, and this one holds only these keys.
/// </summary>
public abstract class SeekingListingCostTests
{
    private const int TopLevelPrefixes = 10;
    private readonly R2MetaHost _host;

    protected SeekingListingCostTests(R2MetaHost host) => _host = host;

    [Fact]
    public async Task DelimiterListing_NotADirectory_SeeksOncePerCommonPrefix()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("cost");
        await s3.PutBucketAsync(bucket);
        await ListingSeed.PutKeysAsync(_host, bucket, Enumerable.Range(0, 2_000).Select(i => $"p{i / 200}/k{i:D5}"));

        // A prefix that does not end in the delimiter is no directory: each common prefix costs one seek past
        // it, plus one read for the end. Reading every key at 1,001 per read would not find them in 11.
        var (seeking, trips) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2&prefix=p&delimiter=%2F");
        Assert.Equal(Enumerable.Range(0, TopLevelPrefixes).Select(p => $"p{p}/"), ListingSeed.Values(seeking, "CommonPrefixes/Prefix"));
        Assert.InRange(trips, 1, TopLevelPrefixes + 1);

        var (other, otherTrips) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2&delimiter=k");
        Assert.Equal(Enumerable.Range(0, TopLevelPrefixes).Select(p => $"p{p}/k"), ListingSeed.Values(other, "CommonPrefixes/Prefix"));
        Assert.InRange(otherTrips, 1, TopLevelPrefixes + 1);
    }
}

public sealed class TablesSeekingListingCostTests(TablesHost host) : SeekingListingCostTests(host), IClassFixture<TablesHost>;

public sealed class CosmosSeekingListingCostTests(CosmosHost host) : SeekingListingCostTests(host), IClassFixture<CosmosHost>;
