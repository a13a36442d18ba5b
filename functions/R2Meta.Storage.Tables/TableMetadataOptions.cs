using Azure.Core;
using Azure.Core.Pipeline;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>Where the Table Storage metadata lives.</summary>
public sealed record TableMetadataOptions
{
    /// <summary>Storage account connection string; not used when <see cref="ServiceUri"/> is set.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Table service endpoint (https://account.table.core.windows.net/), authorized by <see cref="Credential"/>.</summary>
    public Uri? ServiceUri { get; init; }

    /// <summary>Microsoft Entra identity (e.g. a managed identity) used with <see cref="ServiceUri"/>.</summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>Prepended to the table names (<c>{prefix}buckets</c>, <c>{prefix}objects</c>); letters and digits only.</summary>
    public string TablePrefix { get; init; } = "r2meta";

    /// <summary>Timeout and retries of each store call (the client's retry options).</summary>
    public StoreCallPolicy Calls { get; init; } = new();
    /// <summary>Extra Azure.Core policies run on every HTTP attempt (Hosting adds its telemetry seam here).</summary>
    public IReadOnlyList<HttpPipelinePolicy> Policies { get; init; } = [];
}
