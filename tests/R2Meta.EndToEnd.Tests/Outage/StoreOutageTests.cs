using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.S3;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Outage;

/// <summary>
/// The store stopped (connection refused) or hung (SIGSTOP) while the server runs: requests are answered
/// 503 with Retry-After and an S3 error body within the request deadline, never 500, and the same server
/// answers 200 again once the store is back. Runs on stores of its own (<see cref="PrivateStoreHost"/>).
/// </summary>
public abstract class StoreOutageTests : IAsyncLifetime
{
    /// <summary>The default request deadline, plus time to write the answer on a busy machine (the tests run in parallel).</summary>
    private static readonly TimeSpan AnswerBound = new S3Options().RequestTimeout + TimeSpan.FromSeconds(2);

    private readonly PrivateStoreHost _host;
    private readonly ITestOutputHelper _output;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = Names.Bucket("outage");
    private readonly byte[] _data = RandomNumberGenerator.GetBytes(1000);

    protected StoreOutageTests(PrivateStoreHost host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
        _s3 = S3Clients.PathStyle(host);
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "existing", InputStream = new MemoryStream(_data) });
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task MetadataStoreStopped_Answers503WithRetryAfter_ThenSameServerAnswers200()
    {
        await _host.MetadataService.StopAsync();
        try
        {
            await AssertUnavailableAsync("metadata stopped", HttpMethod.Get, "existing");
            await AssertUnavailableAsync("metadata stopped", HttpMethod.Put, "new");
            await AssertUnavailableAsync("metadata stopped", HttpMethod.Head, "existing");
        }
        finally
        {
            await _host.MetadataService.StartAsync();
        }

        if (_host.Backend == Backend.Cosmos)
        {
            // cosmosdb-server keeps nothing across a restart: recreate what the test needs, through the same server.
            await _host.Metadata.InitializeAsync();
            await InitializeAsync();
        }

        await AssertRecoversAsync();
    }

    [Fact]
    public async Task MetadataStoreHung_Answers503WithinDeadline_ThenSameServerAnswers200()
    {
        _host.MetadataService.Freeze();
        try
        {
            await AssertUnavailableAsync("metadata hung", HttpMethod.Get, "existing");
            await AssertUnavailableAsync("metadata hung", HttpMethod.Put, "new");
        }
        finally
        {
            _host.MetadataService.Thaw();
        }

        await AssertRecoversAsync();
    }

    [Fact]
    public async Task BlobStoreStopped_GetOfExistingObject_Answers503_ThenSameServerAnswers200()
    {
        await _host.BlobService.StopAsync();
        try
        {
            await AssertUnavailableAsync("blobs stopped", HttpMethod.Get, "existing");
            await AssertUnavailableAsync("blobs stopped", HttpMethod.Put, "new");
        }
        finally
        {
            await _host.BlobService.StartAsync();
        }

        await AssertRecoversAsync();
    }

    private async Task AssertUnavailableAsync(string outage, HttpMethod method, string key)
    {
        var watch = Stopwatch.StartNew();
        using var response = await RawRequests.SendSignedAsync(_host, method, $"/{_bucket}/{key}", method == HttpMethod.Put ? new ByteArrayContent(_data) : null);
        var body = await response.Content.ReadAsStringAsync();
        watch.Stop();
        _output.WriteLine($"{_host.Backend} {outage}: {method} answered {(int)response.StatusCode} in {watch.Elapsed.TotalMilliseconds:F0} ms");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        Assert.True(watch.Elapsed < AnswerBound, $"answered after {watch.Elapsed}, bound {AnswerBound}");
        if (method == HttpMethod.Head)
        {
            return;
        }

        var error = XDocument.Parse(body).Root!;
        Assert.Equal("Error", error.Name.LocalName);
        Assert.Contains(error.Element("Code")?.Value, new[] { "ServiceUnavailable", "SlowDown" });
        Assert.Equal(response.Headers.GetValues("x-amz-request-id").Single(), error.Element("RequestId")?.Value);
    }

    /// <summary>The same server, not restarted, serves GET and PUT again (the first request may still find a pooled connection the outage broke).</summary>
    private async Task AssertRecoversAsync()
    {
        var watch = Stopwatch.StartNew();
        HttpStatusCode status;
        var attempts = 0;
        do
        {
            attempts++;
            using var response = await RawRequests.SendSignedAsync(_host, HttpMethod.Get, $"/{_bucket}/existing");
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                Assert.Equal(_data, await response.Content.ReadAsByteArrayAsync());
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            await Task.Delay(250);
        }
        while (watch.Elapsed < TimeSpan.FromSeconds(30));

        _output.WriteLine($"{_host.Backend}: GET answered 200 again after {attempts} request(s), {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(HttpStatusCode.OK, status);

        using var put = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, $"/{_bucket}/after", new ByteArrayContent(_data));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var get = await RawRequests.SendSignedAsync(_host, HttpMethod.Get, $"/{_bucket}/after");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(_data, await get.Content.ReadAsByteArrayAsync());
    }
}

public sealed class TablesStoreOutageTests(TablesPrivateStoreHost host, ITestOutputHelper output)
    : StoreOutageTests(host, output), IClassFixture<TablesPrivateStoreHost>;

public sealed class CosmosStoreOutageTests(CosmosPrivateStoreHost host, ITestOutputHelper output)
    : StoreOutageTests(host, output), IClassFixture<CosmosPrivateStoreHost>;
