using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Blobs;

public sealed partial class AzureBlobStore : IStoreProbe
{
    /// <summary>Reads the container's properties: one request that fails when the account or the container does not answer.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken = default) =>
        _container.GetPropertiesAsync(cancellationToken: cancellationToken);
}
