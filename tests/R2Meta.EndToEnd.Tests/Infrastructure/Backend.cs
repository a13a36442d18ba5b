using R2Meta.Storage.Cosmos;

namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>The metadata backends the end-to-end matrix runs against.</summary>
public enum Backend
{
    Tables = 0,
    Cosmos = 1,
}

/// <summary>Where the emulators started by script/test are (environment), with local defaults.</summary>
public static class Emulators
{
    public static string StorageConnection =>
        Environment.GetEnvironmentVariable("R2META_STORAGE_CONNECTION") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    public static string CosmosEndpoint =>
        Environment.GetEnvironmentVariable("R2META_COSMOS_ENDPOINT") is { Length: > 0 } value ? value : "https://127.0.0.1:8081/";

    public static string CosmosKey =>
        Environment.GetEnvironmentVariable("R2META_COSMOS_KEY") is { Length: > 0 } value ? value : CosmosMetadataOptions.EmulatorKey;

    /// <summary>The second metadata cluster's Table Storage (script/test: a second Azurite account); default: the first account.</summary>
    public static string Cluster2StorageConnection =>
        Environment.GetEnvironmentVariable("R2META_CLUSTER2_STORAGE_CONNECTION") is { Length: > 0 } value ? value : StorageConnection;

    /// <summary>The second metadata cluster's Cosmos DB (script/test: a second cosmosdb-server); default: the first.</summary>
    public static string Cluster2CosmosEndpoint =>
        Environment.GetEnvironmentVariable("R2META_CLUSTER2_COSMOS_ENDPOINT") is { Length: > 0 } value ? value : CosmosEndpoint;
}
