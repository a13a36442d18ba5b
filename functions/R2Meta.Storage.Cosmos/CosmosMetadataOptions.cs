using Azure.Core;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>Settings of the Cosmos DB metadata adapter (bound from R2META_COSMOS_* settings by the hosts).</summary>
public sealed record CosmosMetadataOptions
{
    /// <summary>The well-known key of the local Cosmos DB emulators (public, not a secret).</summary>
    public const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nG/9mfJS5CXi0SKsU/fzk/D9TYjvE4HJbvGqpbaQ==";

    public required string Endpoint { get; init; }

    /// <summary>Account key; not used when <see cref="Credential"/> is set.</summary>
    public string? Key { get; init; }

    /// <summary>Microsoft Entra identity (e.g. a managed identity) instead of the account key.</summary>
    public TokenCredential? Credential { get; init; }

    public string Database { get; init; } = CosmosModel.DatabaseName;

    /// <summary>Gateway (HTTPS to the account endpoint) or Direct (TCP to replicas); from R2META_COSMOS_CONNECTION_MODE.</summary>
    public ConnectionMode Mode { get; init; } = ConnectionMode.Gateway;

    /// <summary>Trusts any server certificate: only for a local emulator's self-signed one, never in Azure.</summary>
    public bool AcceptAnyServerCertificate { get; init; }

    /// <summary>
    /// Talks to <see cref="Endpoint"/> only, ignoring the regional endpoints the account advertises: for a
    /// local emulator, which advertises its bind address. Off in Azure so the SDK can fail over across regions.
    /// </summary>
    public bool LimitToEndpoint { get; init; }

    /// <summary>
    /// Timeout of each request (and of connecting, in Gateway mode), and retries of a throttled one (429),
    /// whose total wait is at most <see cref="StoreCallPolicy.AttemptTimeout"/>.
    /// </summary>
    public StoreCallPolicy Calls { get; init; } = new();

    /// <summary>
    /// Partitioning of the objects container (R2META_COSMOS_OBJECTS_LAYOUT). Null (the default): an existing
    /// container keeps its layout, a new one is created <see cref="Cosmos.ObjectsLayout.Hierarchical"/>. Set, it is
    /// the layout a new container gets, and start-up fails if an existing container has another.
    /// </summary>
    public ObjectsLayout? ObjectsLayout { get; init; }

    /// <summary>Parses R2META_COSMOS_OBJECTS_LAYOUT ("hierarchical" or "bucket", case-insensitive); empty means detect.</summary>
    public static ObjectsLayout? ParseObjectsLayout(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? null
            : Enum.TryParse<ObjectsLayout>(value.Trim(), ignoreCase: true, out var layout) && Enum.IsDefined(layout) && !char.IsDigit(value.Trim()[0])
                ? layout
                : throw new ArgumentException($"R2META_COSMOS_OBJECTS_LAYOUT must be hierarchical or bucket, not '{value}'.", nameof(value));

    /// <summary>Parses R2META_COSMOS_CONNECTION_MODE ("Gateway" or "Direct", case-insensitive); empty means Gateway.</summary>
    public static ConnectionMode ParseConnectionMode(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? ConnectionMode.Gateway
            : Enum.TryParse<ConnectionMode>(value.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new ArgumentException($"R2META_COSMOS_CONNECTION_MODE must be Gateway or Direct, not '{value}'.", nameof(value));
}
