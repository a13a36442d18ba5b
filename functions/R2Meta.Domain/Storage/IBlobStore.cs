namespace R2Meta.Domain.Storage;

/// <summary>The byte store port. Blobs are written once under a name unique to the write, never in place.</summary>
public interface IBlobStore
{
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams <paramref name="content"/> into a new blob in <paramref name="tier"/>; never buffers it whole. Returns bytes written.</summary>
    Task<long> WriteAsync(string blobName, Stream content, BlobAccessTier tier, CancellationToken cancellationToken = default);

    /// <summary>Opens a read stream over [offset, offset+length) of the blob; length null means to the end.</summary>
    Task<StoreResult<Stream>> OpenReadAsync(string blobName, long offset, long? length, CancellationToken cancellationToken = default);

    /// <summary>Server-side copy into <paramref name="tier"/> (not the source's); bytes do not pass through this process.</summary>
    Task<StoreStatus> CopyAsync(string sourceBlobName, string destinationBlobName, BlobAccessTier tier, CancellationToken cancellationToken = default);

    /// <summary>Idempotent delete.</summary>
    Task DeleteAsync(string blobName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stages one block of a blob that is not visible until <see cref="CommitBlocksAsync"/>. Block ids are
    /// base64 strings, all of the same length within one blob. Streams <paramref name="length"/> bytes of
    /// <paramref name="content"/> once (it need not be seekable; the length becomes the request's Content-Length).
    /// </summary>
    Task StageBlockAsync(string blobName, string blockId, Stream content, long length, CancellationToken cancellationToken = default);

    /// <summary>Makes the blob consist of the staged blocks, in this order, in <paramref name="tier"/>; the blob appears atomically.</summary>
    /// <returns><see cref="StoreStatus.PreconditionFailed"/> when a listed block is not staged (or no longer is).</returns>
    Task<StoreStatus> CommitBlocksAsync(string blobName, IReadOnlyList<string> blockIds, BlobAccessTier tier, CancellationToken cancellationToken = default);

    /// <summary>Moves a committed blob to another access tier in place (its bytes and name stay); NotFound when it is gone.</summary>
    Task<StoreStatus> SetAccessTierAsync(string blobName, BlobAccessTier tier, CancellationToken cancellationToken = default);

    /// <summary>The committed blob's access tier; NotFound when it is gone.</summary>
    Task<StoreResult<BlobAccessTier>> GetAccessTierAsync(string blobName, CancellationToken cancellationToken = default);

    /// <summary>Blob names under a prefix with their creation time (for the orphan sweeper and tests).</summary>
    IAsyncEnumerable<BlobEntry> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// The distinct first segments of the blob names (each name up to its first '/', without it), in
    /// ordinal order: one per bucket that has blobs, whether or not the bucket's metadata still exists.
    /// </summary>
    IAsyncEnumerable<string> ListTopLevelPrefixesAsync(CancellationToken cancellationToken = default);
}

/// <summary>A committed blob. <paramref name="CreatedAt"/> is when its content was committed (never earlier).</summary>
public sealed record BlobEntry(string Name, long Size, DateTimeOffset CreatedAt);
