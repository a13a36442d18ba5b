using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

public sealed partial class CosmosMetadataStore : IStoreProbe
{
    /// <summary>Reads the buckets container's properties: one request, no query, no request units to speak of.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _buckets.ReadContainerStreamAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }
}
