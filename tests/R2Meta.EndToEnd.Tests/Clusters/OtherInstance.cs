using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Server;

namespace R2Meta.EndToEnd.Tests.Clusters;

/// <summary>A second server instance on the same settings (same clusters): it keeps its own bucket cache, which goes stale.</summary>
public sealed class OtherInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtherInstance(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<OtherInstance> StartAsync(R2MetaHost host)
    {
        var app = R2MetaServer.Create([], host.HostSettings);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OtherInstance(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public AmazonS3Client Client() => new(new BasicAWSCredentials(TestAccounts.FirstKey, TestAccounts.FirstSecret), new AmazonS3Config
    {
        ServiceURL = Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
