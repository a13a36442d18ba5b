using Microsoft.Extensions.Hosting;
using R2Meta.Domain.Storage;

namespace R2Meta.Hosting;

/// <summary>Creates tables, containers and databases at start-up, before the first request.</summary>
public sealed class StoreInitializer : IHostedService
{
    private readonly IMetadataStore _metadata;
    private readonly IBlobStore _blobs;

    public StoreInitializer(IMetadataStore metadata, IBlobStore blobs)
    {
        _metadata = metadata;
        _blobs = blobs;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _metadata.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _blobs.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
