using Azure.Core;
using Azure.Core.Pipeline;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Blobs;

/// <summary>Where object bytes live.</summary>
public sealed record BlobStoreOptions
{
    /// <summary>Storage account connection string; not used when <see cref="ServiceUri"/> is set.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Blob service endpoint (https://account.blob.core.windows.net/), authorized by <see cref="Credential"/>.</summary>
    public Uri? ServiceUri { get; init; }

    /// <summary>Microsoft Entra identity (e.g. a managed identity) used with <see cref="ServiceUri"/>.</summary>
    public TokenCredential? Credential { get; init; }

    public string ContainerName { get; init; } = "r2meta-objects";

    /// <summary>Timeout and retries of each store call (the client's retry options).</summary>
    public StoreCallPolicy Calls { get; init; } = new();
    /// <summary>Extra Azure.Core policies run on every HTTP attempt (Hosting adds its telemetry seam here).</summary>
    public IReadOnlyList<HttpPipelinePolicy> Policies { get; init; } = [];
}
