using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Hosting;
using R2Meta.S3.Pipeline;
using R2Meta.Storage.Tables;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>
/// The S3 pipeline on Kestrel as <see cref="R2Meta.Server.R2MetaServer"/> wires it, except that the metadata
/// store is wrapped in <see cref="StaleReadMetadataStore"/> (Tables underneath).
/// </summary>
public sealed class StaleReadHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaleReadHost(WebApplication app, StaleReadMetadataStore store, Uri endpoint)
    {
        _app = app;
        Store = store;
        Endpoint = endpoint;
    }

    public StaleReadMetadataStore Store { get; }

    public Uri Endpoint { get; }

    public static async Task<StaleReadHost> StartAsync(double staleShare, int seed)
    {
        var settings = R2MetaHost.Settings(Backend.Tables, R2MetaHost.NewSuffix());
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddR2Meta(builder.Configuration);
        var inner = new TableMetadataStore(new TableMetadataOptions { ConnectionString = settings["R2META_STORAGE_CONNECTION"], TablePrefix = settings["R2META_TABLE_PREFIX"]! });
        var stale = new StaleReadMetadataStore(inner, staleShare, seed);
        builder.Services.AddSingleton<IMetadataStore>(stale);
        builder.Services.AddSingleton<IUploadStore>(inner);
        builder.Services.AddSingleton<IVersionStore>(inner);
        var app = builder.Build();
        app.Run(app.Services.GetRequiredService<S3Pipeline>().HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StaleReadHost(app, stale, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
