using System.Net;
using System.Text.RegularExpressions;
using R2Meta.Domain.Diagnostics;
using R2Meta.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>
/// Metadata store round trips of each S3 operation, on each backend: the figures of docs/capacity.md. The host
/// runs in this process, so the count is <see cref="StoreRoundTrips.Total"/> before and after the request (not
/// every handler sets the <c>x-r2meta-store-round-trips</c> header); the collection runs alone so no other test
/// adds to it. Printed as one "cost:" line per operation; each is the least of a few rounds, because a request
/// that found the bucket cache expired makes one more read.
/// </summary>
[Collection(nameof(OperationCostCollection))]
public abstract partial class OperationCostTests(R2MetaHost host, ITestOutputHelper output)
{
    private const int Rounds = 3;

    [Fact]
    public async Task EveryOperation_CostsAFixedNumberOfRoundTripsWhateverTheBucketHolds()
    {
        var bucket = Names.Bucket("ops");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/" + bucket)).Status);
        foreach (var i in Enumerable.Range(0, 30))
        {
            await SendAsync(HttpMethod.Put, $"/{bucket}/d{i % 3}/s{i % 5}/k{i}", "x");
        }

        var costs = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var round = 0; round < Rounds; round++)
        {
            Record(costs, "PUT new key at the top", await SendAsync(HttpMethod.Put, $"/{bucket}/top{round}", "x"));
            Record(costs, "PUT new key two directories down (new directories)", await SendAsync(HttpMethod.Put, $"/{bucket}/n{round}/m/k", "x"));
            Record(costs, "PUT new key into existing directories", await SendAsync(HttpMethod.Put, $"/{bucket}/d0/s0/new{round}", "x"));
            Record(costs, "PUT overwrite", await SendAsync(HttpMethod.Put, $"/{bucket}/d1/s1/k1", "y" + round));
            Record(costs, "GET", await SendAsync(HttpMethod.Get, $"/{bucket}/d1/s1/k1"));
            Record(costs, "HEAD", await SendAsync(HttpMethod.Head, $"/{bucket}/d1/s1/k1"));
            Record(costs, "GET missing key", await SendAsync(HttpMethod.Get, $"/{bucket}/missing"));
            Record(costs, "LIST delimited page (top level)", await SendAsync(HttpMethod.Get, $"/{bucket}?list-type=2&delimiter=/"));
            Record(costs, "LIST delimited page (a directory)", await SendAsync(HttpMethod.Get, $"/{bucket}?list-type=2&delimiter=/&prefix=d0/"));
            Record(costs, "LIST page without delimiter (max-keys 10)", await SendAsync(HttpMethod.Get, $"/{bucket}?list-type=2&max-keys=10"));
            Record(costs, "DELETE key at the top", await SendAsync(HttpMethod.Delete, $"/{bucket}/top{round}"));
            Record(costs, "DELETE key whose directory keeps others", await SendAsync(HttpMethod.Delete, $"/{bucket}/d0/s0/new{round}"));
            Record(costs, "DELETE last key of two directories", await SendAsync(HttpMethod.Delete, $"/{bucket}/n{round}/m/k"));

            var created = await SendAsync(HttpMethod.Post, $"/{bucket}/mp{round}?uploads");
            Record(costs, "multipart: create", created);
            var uploadId = UploadId().Match(created.Body).Groups[1].Value;
            var part = await SendAsync(HttpMethod.Put, $"/{bucket}/mp{round}?partNumber=1&uploadId={uploadId}", "part");
            Record(costs, "multipart: upload part", part);
            var complete = $"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{part.ETag}</ETag></Part></CompleteMultipartUpload>";
            Record(costs, "multipart: complete", await SendAsync(HttpMethod.Post, $"/{bucket}/mp{round}?uploadId={uploadId}", complete));
            var aborted = await SendAsync(HttpMethod.Post, $"/{bucket}/ab{round}?uploads");
            Record(costs, "multipart: abort", await SendAsync(HttpMethod.Delete, $"/{bucket}/ab{round}?uploadId={UploadId().Match(aborted.Body).Groups[1].Value}"));
        }

        foreach (var (operation, roundTrips) in costs)
        {
            output.WriteLine($"cost: {host.Backend}: {operation}: {roundTrips}");
        }

        Assert.Equal(costs["GET"], costs["HEAD"]);
        // A point read is one request, a delimited page of an indexed bucket one query, whatever lies below.
        Assert.Equal(1, costs["GET"]);
        Assert.Equal(1, costs["LIST delimited page (top level)"]);
    }

    private static void Record(Dictionary<string, int> costs, string operation, (HttpStatusCode Status, string Body, string? ETag, int RoundTrips) response)
    {
        Assert.True((int)response.Status < 300, $"{operation}: {response.Status} {response.Body}");
        costs[operation] = Math.Min(costs.GetValueOrDefault(operation, int.MaxValue), response.RoundTrips);
    }

    private async Task<(HttpStatusCode Status, string Body, string? ETag, int RoundTrips)> SendAsync(HttpMethod method, string pathAndQuery, string? body = null)
    {
        var before = StoreRoundTrips.Total;
        using var response = await RawRequests.SendSignedAsync(host, method, pathAndQuery, body is null ? null : new StringContent(body));
        var roundTrips = (int)(StoreRoundTrips.Total - before);
        var status = response.StatusCode == HttpStatusCode.NotFound && pathAndQuery.EndsWith("/missing", StringComparison.Ordinal) ? HttpStatusCode.OK : response.StatusCode;
        return (status, await response.Content.ReadAsStringAsync(), response.Headers.ETag?.Tag, roundTrips);
    }

    [GeneratedRegex("<UploadId>([^<]+)</UploadId>")]
    private static partial Regex UploadId();
}

[CollectionDefinition(nameof(OperationCostCollection), DisableParallelization = true)]
public sealed class OperationCostCollection;

public sealed class TablesOperationCostTests(TablesHost host, ITestOutputHelper output) : OperationCostTests(host, output), IClassFixture<TablesHost>;

public sealed class CosmosOperationCostTests(CosmosHost host, ITestOutputHelper output) : OperationCostTests(host, output), IClassFixture<CosmosHost>;
