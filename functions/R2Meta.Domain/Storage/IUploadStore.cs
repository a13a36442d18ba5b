namespace R2Meta.Domain.Storage;

/// <summary>
/// The multipart-upload port, implemented by each metadata adapter next to <see cref="IMetadataStore"/>
/// (whose <see cref="IMetadataStore.InitializeAsync"/> creates its tables/containers too). One upload
/// record per upload, one part record per part. Every method is one store round trip unless it says otherwise.
/// </summary>
public interface IUploadStore
{
    /// <summary>Create-if-absent; returns the record with its version, or <see cref="StoreStatus.AlreadyExists"/>.</summary>
    Task<StoreResult<UploadRecord>> CreateUploadAsync(UploadRecord upload, CancellationToken cancellationToken = default);

    Task<StoreResult<UploadRecord>> GetUploadAsync(string bucket, string uploadId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the upload record if its version still matches; <see cref="StoreStatus.PreconditionFailed"/> otherwise (or when gone).</summary>
    Task<StoreResult<UploadRecord>> ReplaceUploadAsync(UploadRecord upload, string version, CancellationToken cancellationToken = default);

    /// <summary>Deletes the upload record if its version still matches. NotFound when gone, PreconditionFailed when changed.</summary>
    Task<StoreStatus> DeleteUploadAsync(string bucket, string uploadId, string version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every in-progress upload of a bucket, unordered (callers sort). The cost follows the number of
    /// in-progress uploads of the bucket, never its objects; pages of the store are followed.
    /// </summary>
    Task<IReadOnlyList<UploadRecord>> ListUploadsAsync(string bucket, CancellationToken cancellationToken = default);

    /// <summary>Uploads of every bucket initiated before <paramref name="cutoff"/>: a scan, for background jobs only.</summary>
    IAsyncEnumerable<UploadRecord> ListUploadsInitiatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the record of one part number (last writer wins).</summary>
    Task PutPartAsync(PartRecord part, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> parts with number above <paramref name="afterPartNumber"/>, ascending; follows store pages.</summary>
    Task<IReadOnlyList<PartRecord>> ListPartsAsync(string bucket, string uploadId, int afterPartNumber, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes every part record of an upload. Idempotent; several round trips for many parts.</summary>
    Task DeletePartsAsync(string bucket, string uploadId, CancellationToken cancellationToken = default);
}
