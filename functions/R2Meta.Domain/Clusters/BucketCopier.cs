using System.Runtime.CompilerServices;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Clusters;

/// <summary>
/// Copies the metadata of one bucket incarnation to another (current records and delete markers, version history,
/// in-progress uploads and their parts) and empties an incarnation. Store calls only: no blob is read, copied or
/// deleted; both incarnations' records name the same blobs, which live in the blob store, not on a cluster.
/// Every step is idempotent, so a copier that died is simply run again.
/// </summary>
public static class BucketCopier
{
    private const int PageSize = 500;

    /// <summary>Makes <paramref name="to"/> hold every record <paramref name="from"/> holds (creating or replacing; nothing removed).</summary>
    public static async Task CopyAsync(BucketPlacement from, BucketPlacement to, CancellationToken cancellationToken = default)
    {
        await foreach (var record in CurrentAsync(from, cancellationToken).ConfigureAwait(false))
        {
            await UpsertObjectAsync(to, record, cancellationToken).ConfigureAwait(false);
        }

        await foreach (var version in HistoryAsync(from, cancellationToken).ConfigureAwait(false))
        {
            await to.Cluster.Versions.PutVersionAsync(version with { Bucket = to.StoreName, Version = null }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var upload in await from.Cluster.Uploads.ListUploadsAsync(from.StoreName, cancellationToken).ConfigureAwait(false))
        {
            await UpsertUploadAsync(to, upload, cancellationToken).ConfigureAwait(false);
            var after = 0;
            while (true)
            {
                var parts = await from.Cluster.Uploads.ListPartsAsync(from.StoreName, upload.UploadId, after, PageSize, cancellationToken).ConfigureAwait(false);
                foreach (var part in parts)
                {
                    await to.Cluster.Uploads.PutPartAsync(part with { Bucket = to.StoreName }, cancellationToken).ConfigureAwait(false);
                }

                if (parts.Count < PageSize)
                {
                    break;
                }

                after = parts[^1].PartNumber;
            }
        }
    }

    /// <summary><see cref="CopyAsync"/>, then removes from <paramref name="to"/> what <paramref name="from"/> no longer holds: afterwards they are equal.</summary>
    public static async Task SyncAsync(BucketPlacement from, BucketPlacement to, CancellationToken cancellationToken = default)
    {
        await CopyAsync(from, to, cancellationToken).ConfigureAwait(false);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var record in CurrentAsync(from, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(record.Key);
        }

        await foreach (var record in CurrentAsync(to, cancellationToken).ConfigureAwait(false))
        {
            if (!keys.Contains(record.Key))
            {
                await to.Cluster.Metadata.DeleteObjectAsync(to.StoreName, record.Key, record.Version!, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        var versions = new HashSet<(string, string)>();
        await foreach (var version in HistoryAsync(from, cancellationToken).ConfigureAwait(false))
        {
            versions.Add((version.Key, version.VersionId!));
        }

        await foreach (var version in HistoryAsync(to, cancellationToken).ConfigureAwait(false))
        {
            if (!versions.Contains((version.Key, version.VersionId!)))
            {
                await to.Cluster.Versions.DeleteVersionAsync(to.StoreName, version.Key, version.VersionId!, cancellationToken).ConfigureAwait(false);
            }
        }

        var uploads = (await from.Cluster.Uploads.ListUploadsAsync(from.StoreName, cancellationToken).ConfigureAwait(false)).Select(u => u.UploadId).ToHashSet(StringComparer.Ordinal);
        foreach (var upload in await to.Cluster.Uploads.ListUploadsAsync(to.StoreName, cancellationToken).ConfigureAwait(false))
        {
            if (!uploads.Contains(upload.UploadId))
            {
                await to.Cluster.Uploads.DeletePartsAsync(to.StoreName, upload.UploadId, cancellationToken).ConfigureAwait(false);
                await to.Cluster.Uploads.DeleteUploadAsync(to.StoreName, upload.UploadId, upload.Version!, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes every record of the incarnation but its bucket record (the directory index empties with the objects).</summary>
    public static async Task EmptyAsync(BucketPlacement placement, CancellationToken cancellationToken = default)
    {
        await foreach (var record in CurrentAsync(placement, cancellationToken).ConfigureAwait(false))
        {
            await placement.Cluster.Metadata.DeleteObjectAsync(placement.StoreName, record.Key, record.Version!, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await foreach (var version in HistoryAsync(placement, cancellationToken).ConfigureAwait(false))
        {
            await placement.Cluster.Versions.DeleteVersionAsync(placement.StoreName, version.Key, version.VersionId!, cancellationToken).ConfigureAwait(false);
        }

        foreach (var upload in await placement.Cluster.Uploads.ListUploadsAsync(placement.StoreName, cancellationToken).ConfigureAwait(false))
        {
            await placement.Cluster.Uploads.DeletePartsAsync(placement.StoreName, upload.UploadId, cancellationToken).ConfigureAwait(false);
            await placement.Cluster.Uploads.DeleteUploadAsync(placement.StoreName, upload.UploadId, upload.Version!, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>No current record, delete marker, history entry or upload: three reads.</summary>
    public static async Task<bool> IsEmptyAsync(BucketPlacement placement, CancellationToken cancellationToken = default) =>
        (await placement.Cluster.Versions.ReadCurrentAsync(placement.StoreName, string.Empty, null, 1, cancellationToken).ConfigureAwait(false)).Count == 0
        && (await placement.Cluster.Versions.ReadVersionsAsync(placement.StoreName, string.Empty, null, 1, cancellationToken).ConfigureAwait(false)).Count == 0
        && (await placement.Cluster.Uploads.ListUploadsAsync(placement.StoreName, cancellationToken).ConfigureAwait(false)).Count == 0;

    private static async Task UpsertObjectAsync(BucketPlacement to, ObjectRecord record, CancellationToken cancellationToken)
    {
        var copy = record with { Bucket = to.StoreName, Version = null };
        while (true)
        {
            var existing = await to.Cluster.Metadata.GetObjectAsync(to.StoreName, record.Key, cancellationToken).ConfigureAwait(false);
            var condition = existing.IsOk ? WriteCondition.IfVersion(existing.Value!.Version!) : WriteCondition.IfAbsent;
            var put = await to.Cluster.Metadata.PutObjectAsync(copy, condition, cancellationToken).ConfigureAwait(false);
            if (put.IsOk)
            {
                return;
            }
        }
    }

    private static async Task UpsertUploadAsync(BucketPlacement to, UploadRecord upload, CancellationToken cancellationToken)
    {
        var copy = upload with { Bucket = to.StoreName, Version = null };
        while (true)
        {
            var existing = await to.Cluster.Uploads.GetUploadAsync(to.StoreName, upload.UploadId, cancellationToken).ConfigureAwait(false);
            var written = existing.IsOk
                ? await to.Cluster.Uploads.ReplaceUploadAsync(copy, existing.Value!.Version!, cancellationToken).ConfigureAwait(false)
                : await to.Cluster.Uploads.CreateUploadAsync(copy, cancellationToken).ConfigureAwait(false);
            if (written.IsOk)
            {
                return;
            }
        }
    }

    private static IAsyncEnumerable<ObjectRecord> CurrentAsync(BucketPlacement placement, CancellationToken cancellationToken) =>
        ScanAsync((from, limit) => placement.Cluster.Versions.ReadCurrentAsync(placement.StoreName, from, null, limit, cancellationToken), r => SortKeyCodec.Encode(r.Key), cancellationToken);

    private static IAsyncEnumerable<ObjectRecord> HistoryAsync(BucketPlacement placement, CancellationToken cancellationToken) =>
        ScanAsync((from, limit) => placement.Cluster.Versions.ReadVersionsAsync(placement.StoreName, from, null, limit, cancellationToken), v => VersionIds.SortKey(v.Key, v.VersionId!), cancellationToken);

    private static async IAsyncEnumerable<ObjectRecord> ScanAsync(Func<string, int, Task<IReadOnlyList<ObjectRecord>>> read, Func<ObjectRecord, string> sortKeyOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = string.Empty;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await read(from, PageSize).ConfigureAwait(false);
            foreach (var record in page)
            {
                yield return record;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            // Sort keys are unique per key and version, so "just after the last one" misses nothing.
            from = sortKeyOf(page[^1]) + '\0';
        }
    }
}
