using System.Runtime.CompilerServices;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Clusters;

/// <summary>Multipart uploads and their parts, routed by bucket (see <see cref="ClusterRouter"/>).</summary>
public sealed partial class ClusterRouter
{
    public Task<StoreResult<UploadRecord>> CreateUploadAsync(UploadRecord upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return WriteAsync(
            upload.Bucket,
            async p => Named(await p.Cluster.Uploads.CreateUploadAsync(upload with { Bucket = p.StoreName }, cancellationToken).ConfigureAwait(false), upload.Bucket),
            r => r.IsOk,
            (p, r) => p.Cluster.Uploads.DeleteUploadAsync(p.StoreName, upload.UploadId, r.Value!.Version!, CancellationToken.None),
            cancellationToken);
    }

    public Task<StoreResult<UploadRecord>> GetUploadAsync(string bucket, string uploadId, CancellationToken cancellationToken = default) =>
        ReadAsync(bucket, async p => Named(await p.Cluster.Uploads.GetUploadAsync(p.StoreName, uploadId, cancellationToken).ConfigureAwait(false), bucket), r => !r.IsOk, cancellationToken);

    public Task<StoreResult<UploadRecord>> ReplaceUploadAsync(UploadRecord upload, string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return WriteAsync(
            upload.Bucket,
            async p => Named(await p.Cluster.Uploads.ReplaceUploadAsync(upload with { Bucket = p.StoreName }, version, cancellationToken).ConfigureAwait(false), upload.Bucket),
            r => r.IsOk,
            null,
            cancellationToken);
    }

    public Task<StoreStatus> DeleteUploadAsync(string bucket, string uploadId, string version, CancellationToken cancellationToken = default) =>
        WriteAsync(bucket, p => p.Cluster.Uploads.DeleteUploadAsync(p.StoreName, uploadId, version, cancellationToken), s => s == StoreStatus.Ok, null, cancellationToken);

    public Task<IReadOnlyList<UploadRecord>> ListUploadsAsync(string bucket, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<UploadRecord>>(
            bucket,
            async p => (await p.Cluster.Uploads.ListUploadsAsync(p.StoreName, cancellationToken).ConfigureAwait(false)).Select(u => u with { Bucket = bucket }).ToList(),
            r => r.Count == 0,
            cancellationToken);

    /// <summary>Every cluster's old uploads, named by their bucket (an incarnation's store name maps back to it).</summary>
    public async IAsyncEnumerable<UploadRecord> ListUploadsInitiatedBeforeAsync(DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var cluster in _clusters.All)
        {
            await foreach (var upload in cluster.Uploads.ListUploadsInitiatedBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false))
            {
                yield return upload with { Bucket = BucketPlacement.BucketOf(upload.Bucket) };
            }
        }
    }

    public Task PutPartAsync(PartRecord part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        return WriteAsync(part.Bucket, async p =>
        {
            await p.Cluster.Uploads.PutPartAsync(part with { Bucket = p.StoreName }, cancellationToken).ConfigureAwait(false);
            return true;
        }, static done => done, null, cancellationToken);
    }

    public Task<IReadOnlyList<PartRecord>> ListPartsAsync(string bucket, string uploadId, int afterPartNumber, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<PartRecord>>(
            bucket,
            async p => (await p.Cluster.Uploads.ListPartsAsync(p.StoreName, uploadId, afterPartNumber, limit, cancellationToken).ConfigureAwait(false)).Select(x => x with { Bucket = bucket }).ToList(),
            r => r.Count == 0,
            cancellationToken);

    public Task DeletePartsAsync(string bucket, string uploadId, CancellationToken cancellationToken = default) =>
        WriteAsync(bucket, async p =>
        {
            await p.Cluster.Uploads.DeletePartsAsync(p.StoreName, uploadId, cancellationToken).ConfigureAwait(false);
            return true;
        }, static done => done, null, cancellationToken);

    private static StoreResult<UploadRecord> Named(StoreResult<UploadRecord> result, string bucket) =>
        result.Value is { } value ? result with { Value = value with { Bucket = bucket } } : result;
}
