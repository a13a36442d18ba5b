using System.Net;
using System.Text.Json;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Hosting;

/// <summary>GET /_r2meta/health/live and /_r2meta/health/ready on the Kestrel host, unauthenticated, per backend.</summary>
public abstract class HealthEndpointTests(R2MetaHost host)
{
    [Fact]
    public async Task Live_Is200()
    {
        using var response = await RawRequests.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(host.Endpoint, "/_r2meta/health/live")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("live", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_StoresUp_Is200WithEveryCheckOk()
    {
        using var response = await RawRequests.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(host.Endpoint, "/_r2meta/health/ready")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("ok", checks.GetProperty("metadata").GetString());
        Assert.Equal("ok", checks.GetProperty("blobs").GetString());
    }

    [Fact]
    public async Task Ready_Head_Is200WithoutBody()
    {
        using var response = await RawRequests.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(host.Endpoint, "/_r2meta/health/ready")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>On a Host naming a bucket the path is an object key of that bucket: S3 answers, not the health endpoint.</summary>
    [Fact]
    public async Task HealthPath_OnVirtualHostedHost_IsAnS3Request()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Endpoint, "/_r2meta/health/live"));
        request.Headers.Host = $"some-bucket.localhost:{host.Port}";
        using var response = await RawRequests.SendAsync(request);
        // An unsigned request to a bucket that does not exist: S3's answer is NoSuchBucket.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NoSuchBucket", await RawRequests.ErrorCodeAsync(response));
    }
}

public sealed class TablesHealthEndpointTests(TablesHost host) : HealthEndpointTests(host), IClassFixture<TablesHost>;

public sealed class CosmosHealthEndpointTests(CosmosHost host) : HealthEndpointTests(host), IClassFixture<CosmosHost>;
