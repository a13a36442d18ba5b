using System.Buffers;
using Azure;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Blobs;

/// <summary>
/// <see cref="IBlobStore"/> on Azure Blob Storage (block blobs in one container). A body shorter than
/// <see cref="SingleRequestLimit"/> goes up in one Put Blob request; a longer one streams in blocks of at
/// most <see cref="BlockSize"/> bytes with at most <see cref="Concurrency"/> in flight, so memory per
/// upload stays bounded whatever the object size.
/// </summary>
public sealed partial class AzureBlobStore : IBlobStore
{
    private const int BlockSize = 8 * 1024 * 1024;
    private const int Concurrency = 4;

    /// <summary>
    /// The SDK stages a forward-only body as blocks and commits a block list (two requests, however small
    /// the body); a body that ends within this many bytes is held in a pooled buffer and sent as one Put Blob.
    /// </summary>
    private const int SingleRequestLimit = 256 * 1024;

    private static readonly StorageTransferOptions TransferOptions = new()
    {
        InitialTransferSize = BlockSize,
        MaximumTransferSize = BlockSize,
        MaximumConcurrency = Concurrency,
    };

    private readonly BlobContainerClient _container;

    public AzureBlobStore(BlobStoreOptions options)
        : this(CreateService(options), options)
    {
    }

    public AzureBlobStore(BlobServiceClient service, BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        _container = service.GetBlobContainerClient(options.ContainerName);
    }

    private static BlobServiceClient CreateService(BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = CreateClientOptions(options.Calls);
        foreach (var policy in options.Policies)
        {
            clientOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        return options switch
        {
            { ServiceUri: { } uri, Credential: { } credential } => new BlobServiceClient(uri, credential, clientOptions),
            { ConnectionString: { Length: > 0 } connection } => new BlobServiceClient(connection, clientOptions),
            _ => throw new ArgumentException("A blob service URI with a credential, or a connection string, is required.", nameof(options)),
        };
    }

    /// <summary>Client options a <see cref="BlobServiceClient"/> for this store needs: the store-call budget, and no timeout on client-paced uploads.</summary>
    public static BlobClientOptions CreateClientOptions(StoreCallPolicy? calls = null)
    {
        calls ??= new StoreCallPolicy();
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = calls.MaxRetries;
        clientOptions.Retry.Delay = calls.RetryDelay;
        clientOptions.Retry.MaxDelay = calls.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = calls.AttemptTimeout;
        clientOptions.AddPolicy(new ClientPacedTimeoutPolicy(), HttpPipelinePosition.PerCall);
        return clientOptions;
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        BlobGuard.RunAsync(() => _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken), cancellationToken);

    /// <summary>
    /// Exceptions thrown by <paramref name="content"/> (e.g. a failed checksum) reach the caller unchanged,
    /// and nothing is committed: a small body is read to its end (and checked) before its one request is
    /// sent; a large one's staged blocks stay uncommitted and the service discards them.
    /// </summary>
    public async Task<long> WriteAsync(string blobName, Stream content, BlobAccessTier tier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffer = ArrayPool<byte>.Shared.Rent(SingleRequestLimit);
        try
        {
            var head = await ReadHeadAsync(content, buffer.AsMemory(0, SingleRequestLimit), cancellationToken).ConfigureAwait(false);
            if (head < SingleRequestLimit)
            {
                // The body ended (and passed its checks) within the buffer: seekable, so the SDK sends one Put Blob and may retry it.
                using var whole = new MemoryStream(buffer, 0, head, writable: false);
                await UploadAsync(blobName, whole, tier, cancellationToken).ConfigureAwait(false);
                return head;
            }

            var source = new UploadSourceStream(content, prefix: buffer.AsMemory(0, head));
            try
            {
                await UploadAsync(blobName, source, tier, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (source.SourceFault is { } fault)
            {
                // The caller looks for the source's own exception (e.g. a checksum mismatch), however the SDK wrapped it.
                fault.Throw();
            }

            return source.BytesRead;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fills <paramref name="head"/> from the source; fewer bytes than its length means the source ended.</summary>
    private static async Task<int> ReadHeadAsync(Stream content, Memory<byte> head, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < head.Length && (read = await content.ReadAsync(head[filled..], cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private Task UploadAsync(string blobName, Stream content, BlobAccessTier tier, CancellationToken cancellationToken)
    {
        // The tier goes with the Put Blob (or the block list commit): no second request to set it.
        var options = new BlobUploadOptions { TransferOptions = TransferOptions, AccessTier = AccessTierOf(tier) };
        return BlobGuard.RunAsync(() => _container.GetBlobClient(blobName).UploadAsync(content, options, cancellationToken), cancellationToken);
    }

    public Task<StoreResult<Stream>> OpenReadAsync(string blobName, long offset, long? length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var blob = _container.GetBlobClient(blobName);
        return BlobGuard.RunAsync(async () =>
        {
            try
            {
                if (length == 0)
                {
                    // An empty range has no HTTP Range form; only existence needs checking.
                    await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    return StoreResult<Stream>.Ok(new MemoryStream([], writable: false));
                }

                var options = new BlobDownloadOptions { Range = new HttpRange(offset, length) };
                var response = await blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
                return StoreResult<Stream>.Ok(response.Value.Content);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return StoreResult<Stream>.Fail(StoreStatus.NotFound);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Copy Blob within the account (authorized by the account key, so no SAS), polled until done. The tier is named
    /// explicitly: without one the copy keeps the source's.
    /// </summary>
    public Task<StoreStatus> CopyAsync(string sourceBlobName, string destinationBlobName, BlobAccessTier tier, CancellationToken cancellationToken = default)
    {
        var source = _container.GetBlobClient(sourceBlobName);
        var destination = _container.GetBlobClient(destinationBlobName);
        return BlobGuard.RunAsync(async () =>
        {
            try
            {
                var operation = await destination.StartCopyFromUriAsync(source.Uri, new BlobCopyFromUriOptions { AccessTier = AccessTierOf(tier) }, cancellationToken).ConfigureAwait(false);
                await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
                return StoreStatus.Ok;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return StoreStatus.NotFound;
            }
        }, cancellationToken);
    }

    public Task DeleteAsync(string blobName, CancellationToken cancellationToken = default) =>
        BlobGuard.RunAsync(() => _container.GetBlobClient(blobName).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken), cancellationToken);

    /// <summary>
    /// One Put Block request streamed from <paramref name="content"/>, which need not be seekable; a block
    /// holds at most 4,000 MiB. The source is read once, so a failed
    /// attempt is not retried here: the client retries the part. The request goes as fast as the source
    /// delivers, so the store-call timeout does not apply to it (<see cref="ClientPacedTimeoutPolicy"/>).
    /// </summary>
    public Task StageBlockAsync(string blobName, string blockId, Stream content, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var source = new UploadSourceStream(content, length);
        return BlobGuard.RunAsync(async () =>
        {
            try
            {
                using var clientPaced = ClientPacedTimeoutPolicy.Scope();
                await _container.GetBlockBlobClient(blobName).StageBlockAsync(blockId, source, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (source.SourceFault is { } fault)
            {
                // The source's own exception (e.g. a checksum mismatch), however the SDK wrapped it; the guard leaves it alone.
                fault.Throw();
            }
        }, cancellationToken);
    }

    public Task<StoreStatus> CommitBlocksAsync(string blobName, IReadOnlyList<string> blockIds, BlobAccessTier tier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blockIds);
        return BlobGuard.RunAsync(async () =>
        {
            try
            {
                await _container.GetBlockBlobClient(blobName).CommitBlockListAsync(blockIds, new CommitBlockListOptions { AccessTier = AccessTierOf(tier) }, cancellationToken).ConfigureAwait(false);
                return StoreStatus.Ok;
            }
            catch (RequestFailedException e) when (e.ErrorCode == "InvalidBlockList")
            {
                return StoreStatus.PreconditionFailed;
            }
        }, cancellationToken);
    }

    public Task<StoreStatus> SetAccessTierAsync(string blobName, BlobAccessTier tier, CancellationToken cancellationToken = default) =>
        BlobGuard.RunAsync(async () =>
        {
            try
            {
                await _container.GetBlobClient(blobName).SetAccessTierAsync(AccessTierOf(tier), cancellationToken: cancellationToken).ConfigureAwait(false);
                return StoreStatus.Ok;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return StoreStatus.NotFound;
            }
        }, cancellationToken);

    public Task<StoreResult<BlobAccessTier>> GetAccessTierAsync(string blobName, CancellationToken cancellationToken = default) =>
        BlobGuard.RunAsync(async () =>
        {
            try
            {
                var properties = await _container.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var tier = properties.Value.AccessTier;
                // A blob with no tier of its own (AccessTierInferred) is in the account's default tier, Hot.
                return StoreResult<BlobAccessTier>.Ok(tier is null || tier == AccessTier.Hot ? BlobAccessTier.Hot
                    : tier == AccessTier.Cool ? BlobAccessTier.Cool
                    : throw new InvalidOperationException($"Blob {blobName} is in the {tier} tier, which R2Meta never sets."));
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return StoreResult<BlobAccessTier>.Fail(StoreStatus.NotFound);
            }
        }, cancellationToken);

    private static AccessTier AccessTierOf(BlobAccessTier tier) => tier switch
    {
        BlobAccessTier.Hot => AccessTier.Hot,
        BlobAccessTier.Cool => AccessTier.Cool,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    public async IAsyncEnumerable<BlobEntry> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var items = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken);
        await foreach (var item in items.ConfigureAwait(false))
        {
            // A block blob's content appears at its block-list commit, which may be later than its creation
            // time (staged blocks): the later of the two keeps the sweeper's grace period counting from then.
            var created = item.Properties.CreatedOn ?? default;
            var modified = item.Properties.LastModified ?? default;
            yield return new BlobEntry(item.Name, item.Properties.ContentLength ?? 0, modified > created ? modified : created);
        }
    }

    public async IAsyncEnumerable<string> ListTopLevelPrefixesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var items = _container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/" }, cancellationToken);
        await foreach (var item in items.ConfigureAwait(false))
        {
            if (item.IsPrefix)
            {
                yield return item.Prefix[..^1];
            }
        }
    }
}
