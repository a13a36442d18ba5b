namespace R2Meta.Storage.Tests;

/// <summary>The storage account the tests talk to: R2META_STORAGE_CONNECTION, or the local Azurite default.</summary>
internal static class StorageTestEnvironment
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("R2META_STORAGE_CONNECTION") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    /// <summary>A bucket name no other test or run uses.</summary>
    public static string UniqueBucketName() => "ct-" + Guid.NewGuid().ToString("N");
}
