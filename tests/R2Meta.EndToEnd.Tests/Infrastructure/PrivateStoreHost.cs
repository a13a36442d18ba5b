namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A host on store processes of its own, which its tests may stop, freeze and restart: Azurite's blob
/// service for the bytes, and for metadata Azurite's table service (Tables) or a cosmosdb-server (Cosmos).
/// Settings otherwise as <see cref="R2MetaHost.Settings"/>, with the default store-call budget and deadline.
/// </summary>
public abstract class PrivateStoreHost : R2MetaHost
{
    private const string AzuriteAccount = "devstoreaccount1";
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _location = Path.Combine(Path.GetTempPath(), "r2meta-outage-" + NewSuffix());

    protected PrivateStoreHost(Backend backend) : base(backend)
    {
        Directory.CreateDirectory(_location);
        BlobService = StoreProcess.Azurite("blob", _location);
        MetadataService = backend == Backend.Cosmos ? StoreProcess.Cosmos() : StoreProcess.Azurite("table", _location);
    }

    public StoreProcess BlobService { get; }

    /// <summary>Azurite's table service or cosmosdb-server.</summary>
    public StoreProcess MetadataService { get; }

    protected override IReadOnlyDictionary<string, string?> CreateSettings()
    {
        var settings = new Dictionary<string, string?>(base.CreateSettings())
        {
            ["R2META_STORAGE_CONNECTION"] =
                $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={AzuriteKey};" +
                $"BlobEndpoint=http://127.0.0.1:{BlobService.Port}/{AzuriteAccount};" +
                (Backend == Backend.Tables ? $"TableEndpoint=http://127.0.0.1:{MetadataService.Port}/{AzuriteAccount};" : string.Empty),
            ["R2META_MAINTENANCE_INTERVAL_MINUTES"] = "0",
        };
        if (Backend == Backend.Cosmos)
        {
            settings["R2META_COSMOS_ENDPOINT"] = $"https://127.0.0.1:{MetadataService.Port}/";
        }

        return settings;
    }

    public override async Task InitializeAsync()
    {
        await BlobService.StartAsync();
        await MetadataService.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await MetadataService.DisposeAsync();
        await BlobService.DisposeAsync();
        Directory.Delete(_location, recursive: true);
    }
}

public sealed class TablesPrivateStoreHost : PrivateStoreHost
{
    public TablesPrivateStoreHost() : base(Backend.Tables)
    {
    }
}

public sealed class CosmosPrivateStoreHost : PrivateStoreHost
{
    public CosmosPrivateStoreHost() : base(Backend.Cosmos)
    {
    }
}

/// <summary>
/// Cosmos DB for tests that seed tens of thousands of keys, on stores of its own. cosmosdb-server evaluates every
/// query by scanning its whole container in one Node thread (seconds at 20,000 documents), far past the production
/// store-call budget, which would rightly answer 503; and while it scans it answers no one else, so on the shared
/// emulator every Cosmos test running beside it timed out too. These tests measure round trips, not latency, so the
/// budget is lifted here, in the test's settings, and their scans hold up only their own emulator.
/// </summary>
public sealed class LargeCosmosHost : PrivateStoreHost
{
    public LargeCosmosHost() : base(Backend.Cosmos)
    {
    }

    protected override IReadOnlyDictionary<string, string?> CreateSettings() =>
        new Dictionary<string, string?>(base.CreateSettings())
        {
            ["R2META_STORE_TIMEOUT_SECONDS"] = "120",
            ["R2META_REQUEST_TIMEOUT_SECONDS"] = "0",
        };
}
