using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Storage;
using R2Meta.Server;

namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Kestrel host of the S3 pipeline on a loopback port, on real emulated stores, with
/// per-host table/container names so test classes do not see each other's data.
/// </summary>
public abstract class R2MetaHost : IAsyncLifetime
{
    private WebApplication? _app;

    protected R2MetaHost(Backend backend) => Backend = backend;

    public Backend Backend { get; }

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The settings this host runs with; another host built from them shares its stores.</summary>
    public IReadOnlyDictionary<string, string?> HostSettings { get; private set; } = new Dictionary<string, string?>();

    public int Port => Endpoint.Port;

    public IServiceProvider Services => _app!.Services;

    public IBlobStore Blobs => Services.GetRequiredService<IBlobStore>();

    public IMetadataStore Metadata => Services.GetRequiredService<IMetadataStore>();

    public static IReadOnlyDictionary<string, string?> Settings(Backend backend, string suffix) => new Dictionary<string, string?>
    {
        ["R2META_PORT"] = "0",
        ["R2META_CREDENTIALS"] = TestAccounts.Spec,
        ["R2META_METADATA"] = backend == Backend.Cosmos ? "cosmos" : "tables",
        ["R2META_STORAGE_CONNECTION"] = Emulators.StorageConnection,
        ["R2META_BLOB_CONTAINER"] = "objects-" + suffix,
        ["R2META_TABLE_PREFIX"] = "t" + suffix,
        ["R2META_COSMOS_ENDPOINT"] = Emulators.CosmosEndpoint,
        ["R2META_COSMOS_KEY"] = Emulators.CosmosKey,
        ["R2META_COSMOS_DATABASE"] = "db" + suffix,
        ["R2META_COSMOS_ACCEPT_ANY_CERTIFICATE"] = "true",
        ["R2META_COSMOS_LIMIT_TO_ENDPOINT"] = "true",
        ["R2META_BASE_DOMAIN"] = "localhost",
        // Request logs of a few thousand test requests would drown the test output.
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>The settings <see cref="InitializeAsync"/> starts the host with: the shared emulators, fresh names.</summary>
    protected virtual IReadOnlyDictionary<string, string?> CreateSettings() => Settings(Backend, NewSuffix());

    public static string NewSuffix() => Guid.NewGuid().ToString("N")[..12];

    public virtual async Task InitializeAsync()
    {
        if (Backend == Backend.Cosmos)
        {
            Environment.SetEnvironmentVariable("AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX", "true");
        }

        HostSettings = CreateSettings();
        _app = R2MetaServer.Create([], HostSettings, ConfigureServices);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Endpoint = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Adds to the host's wiring before it is built (telemetry tests add in-memory exporters).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

public sealed class TablesHost : R2MetaHost
{
    public TablesHost() : base(Backend.Tables)
    {
    }
}

public sealed class CosmosHost : R2MetaHost
{
    public CosmosHost() : base(Backend.Cosmos)
    {
    }
}
