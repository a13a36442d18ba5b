using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Server;

namespace R2Meta.EndToEnd.Tests.Hosting;

/// <summary>
/// Readiness with a store really down: the host runs on an emulator of the test's own, which the test kills
/// (its port then refuses connections). The answer must come within a few seconds, not after SDK retries.
/// </summary>
public sealed class ReadinessStoreDownTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Ready_CosmosDown_Is503NamingMetadata_BlobsStillOk()
    {
        Environment.SetEnvironmentVariable("AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX", "true");
        using var cosmos = await PrivateEmulator.StartCosmosAsync();
        var settings = new Dictionary<string, string?>(R2MetaHost.Settings(Backend.Cosmos, R2MetaHost.NewSuffix()))
        {
            ["R2META_COSMOS_ENDPOINT"] = cosmos.CosmosEndpoint,
        };
        await using var app = await StartAsync(settings);
        var endpoint = Endpoint(app);

        var (upStatus, upChecks, _) = await ReadyAsync(endpoint);
        Assert.Equal(HttpStatusCode.OK, upStatus);
        Assert.Equal("ok", upChecks["metadata"]);

        cosmos.Stop();
        var (status, checks, elapsed) = await ReadyAsync(endpoint);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.NotEqual("ok", checks["metadata"]);
        Assert.Equal("ok", checks["blobs"]);
        Assert.True(elapsed < Prompt, $"readiness took {elapsed}");

        using var live = await RawRequests.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, "/_r2meta/health/live")));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Ready_AzuriteDown_Is503NamingMetadata()
    {
        using var azurite = await PrivateEmulator.StartAzuriteAsync();
        var settings = new Dictionary<string, string?>(R2MetaHost.Settings(Backend.Tables, R2MetaHost.NewSuffix()))
        {
            ["R2META_STORAGE_CONNECTION"] = azurite.StorageConnection,
        };
        await using var app = await StartAsync(settings);
        var endpoint = Endpoint(app);

        var (upStatus, _, _) = await ReadyAsync(endpoint);
        Assert.Equal(HttpStatusCode.OK, upStatus);

        azurite.Stop();
        var (status, checks, elapsed) = await ReadyAsync(endpoint);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.NotEqual("ok", checks["metadata"]);
        Assert.True(elapsed < Prompt, $"readiness took {elapsed}");
    }

    private static async Task<WebApplication> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var app = R2MetaServer.Create([], settings);
        await app.StartAsync();
        return app;
    }

    private static Uri Endpoint(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task<(HttpStatusCode Status, Dictionary<string, string> Checks, TimeSpan Elapsed)> ReadyAsync(Uri endpoint)
    {
        var clock = Stopwatch.StartNew();
        using var response = await RawRequests.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, "/_r2meta/health/ready")));
        var elapsed = clock.Elapsed;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return (response.StatusCode, checks, elapsed);
    }
}
