using System.Globalization;
using System.Net;
using R2Meta.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>
/// Metadata store requests of a write, read from the <c>x-r2meta-store-round-trips</c> response header
/// (every request the metadata adapter sends for that S3 request).
/// </summary>
public abstract class WriteCostTests
{
    private readonly R2MetaHost _host;
    private readonly ITestOutputHelper _output;

    protected WriteCostTests(R2MetaHost host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
    }

    [Fact]
    public async Task IfMatchPut_ReadsTheCurrentVersionOnce()
    {
        var bucket = Names.Bucket("cost");
        using (var created = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, "/" + bucket))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        var (etag, _) = await PutAsync(bucket, "k", "first", null);
        int overwrite = int.MaxValue, ifMatch = int.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            // The least of a few rounds: a request that found the bucket cache expired made one more read.
            (etag, var plain) = await PutAsync(bucket, "k", "plain " + round, null);
            (var matched, var conditional) = await PutAsync(bucket, "k", "if-match " + round, etag);
            Assert.NotEqual(etag, matched);
            (etag, overwrite, ifMatch) = (matched, Math.Min(overwrite, plain), Math.Min(ifMatch, conditional));
        }

        _output.WriteLine($"{_host.Backend}: unconditional overwrite {overwrite} store requests, If-Match PUT {ifMatch}");

        // An overwrite first tries to create the key (refused: it exists), reads it, replaces it. An If-Match
        // PUT reads the version its condition is checked against and replaces it: that same read seeds the
        // commit, so it costs one request less than the overwrite (it cost as much when it read twice).
        Assert.Equal(overwrite - 1, ifMatch);
    }

    [Fact]
    public async Task IfMatchPut_BelowDirectories_CostsWhatItCostsAtTheTop()
    {
        var bucket = Names.Bucket("cost");
        using (var created = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, "/" + bucket))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        var (top, _) = await PutAsync(bucket, "k", "first", null);
        var (deep, _) = await PutAsync(bucket, "a/b/c/k", "first", null);
        int atTop = int.MaxValue, below = int.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            (top, var topCost) = await PutAsync(bucket, "k", "if-match " + round, top);
            (deep, var deepCost) = await PutAsync(bucket, "a/b/c/k", "if-match " + round, deep);
            (atTop, below) = (Math.Min(atTop, topCost), Math.Min(below, deepCost));
        }

        _output.WriteLine($"{_host.Backend}: If-Match PUT at the top {atTop} store requests, three directories down {below}");

        // Replacing a version keeps the key, so the directories above it stand: a replace writes none of them.
        Assert.Equal(atTop, below);
        using var listed = await RawRequests.SendSignedAsync(_host, HttpMethod.Get, $"/{bucket}?list-type=2&delimiter=/&prefix=a/b/");
        Assert.Contains("<Prefix>a/b/c/</Prefix>", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(string ETag, int RoundTrips)> PutAsync(string bucket, string key, string body, string? ifMatch)
    {
        var headers = ifMatch is null ? null : new Dictionary<string, string> { ["If-Match"] = ifMatch };
        using var response = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, $"/{bucket}/{key}", new StringContent(body), headers);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var roundTrips = int.Parse(response.Headers.GetValues("x-r2meta-store-round-trips").Single(), CultureInfo.InvariantCulture);
        return (response.Headers.ETag!.Tag, roundTrips);
    }
}

public sealed class TablesWriteCostTests(TablesHost host, ITestOutputHelper output) : WriteCostTests(host, output), IClassFixture<TablesHost>;

public sealed class CosmosWriteCostTests(CosmosHost host, ITestOutputHelper output) : WriteCostTests(host, output), IClassFixture<CosmosHost>;
