using Azure;
using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// The directory index (<see cref="IMetadataStore.ReadDirectoryAsync"/>): rows in the objects table
/// laid out by <see cref="DirectoryEntityMapper"/>, written by <see cref="PutObjectAsync"/> in the
/// transaction that commits the object and pruned by <see cref="DeleteObjectAsync"/>.
/// </summary>
public sealed partial class TableMetadataStore
{
    private static readonly string[] RowKeyOnly = ["RowKey"];

    public Task<IReadOnlyList<ListEntry>> ReadDirectoryAsync(string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default)
    {
        DirectoryKeys.EnsureDirectory(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        if (DirectoryEntityMapper.EntriesRange(directory, fromSortKey, toSortKey) is not var (from, to))
        {
            return Task.FromResult<IReadOnlyList<ListEntry>>([]);
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {from} and RowKey lt {to}");
        return TableGuard.RunAsync(
            () => ReadRowsAsync(_objects, filter, limit, DirectoryEntityMapper.FromEntity, entry => entry.Name.StartsWith(directory, StringComparison.Ordinal), DirectoryEntityMapper.ListingProperties, cancellationToken),
            cancellationToken);
    }

    public Task PruneDirectoryAsync(string bucket, string directory, CancellationToken cancellationToken = default) =>
        TableGuard.RunAsync(() => RemoveEmptyDirectoriesAsync(bucket, directory, cancellationToken), cancellationToken);

    /// <summary>
    /// Takes <paramref name="directory"/> and then its ancestors out of the index while they are empty,
    /// deepest first; stops at the first that is not. The common case, a directory that still holds
    /// something, costs one read.
    /// <para>
    /// Safe against a concurrent put below the directory: every put upserts the row of each directory
    /// above its key in the transaction that commits it, and an upsert changes the row's ETag. The row
    /// is read (with its ETag) before the second emptiness check and deleted only if that ETag still
    /// matches, so a put committed before the read shows up in the check (its transaction also wrote
    /// the directory's child entry), and a put committed after it makes the delete fail. A put whose
    /// directory rows did not fit its transaction re-upserts them after committing
    /// (<see cref="UpsertDirectoriesAsync"/>), which repairs the one case this misses.
    /// </para>
    /// </summary>
    private async Task RemoveEmptyDirectoriesAsync(string bucket, string directory, CancellationToken cancellationToken)
    {
        for (var d = directory; d.Length > 0; d = DirectoryKeys.ParentOf(d))
        {
            if (!await IsEmptyAsync(bucket, d, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var rowKey = DirectoryEntityMapper.DirectoryRowKey(d);
            try
            {
                var row = await GetEntityIfExistsAsync(_objects, bucket, rowKey, RowKeyOnly, cancellationToken).ConfigureAwait(false);
                if (row is null || !await IsEmptyAsync(bucket, d, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var deleted = await _objects.DeleteEntityAsync(bucket, rowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                if (deleted.Status == 404)
                {
                    // Another delete took it out, and goes on with the parent itself.
                    return;
                }
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // 412: a put into the directory came in between; 404: another delete took it out first.
                return;
            }
        }
    }

    private async Task<bool> IsEmptyAsync(string bucket, string directory, CancellationToken cancellationToken) =>
        (await ReadDirectoryAsync(bucket, directory, string.Empty, null, 1, cancellationToken).ConfigureAwait(false)).Count == 0;

    /// <summary>
    /// Upserts directory rows outside a put's transaction, for keys with more directories above them
    /// than one transaction holds. A put calls this before its commit, so the directories are listed
    /// from the moment the object exists, and again after it: between the two, a delete elsewhere may
    /// have found such a directory still empty (its child on the way to the key not yet committed) and
    /// removed it, which the second upsert undoes. Until then, or if the put fails or dies in between,
    /// the index can miss a directory or hold an empty one; only keys over 98 levels deep are exposed.
    /// </summary>
    private async Task UpsertDirectoriesAsync(string bucket, List<string> directories, CancellationToken cancellationToken)
    {
        foreach (var chunk in directories.Chunk(MaxBatch))
        {
            await SubmitTransactionAsync(
                _objects,
                [.. chunk.Select(d => new TableTransactionAction(TableTransactionActionType.UpsertReplace, DirectoryEntityMapper.ToDirectoryEntity(bucket, d)))],
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes what is left of a bucket's index: normally nothing (deletes prune it), unless a delete
    /// died between its commit and its cleanup.
    /// </summary>
    private async Task DeleteIndexRowsAsync(string bucket, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {DirectoryEntityMapper.LowestRowKey} and RowKey lt {OutboxEntityMapper.From}");
        var rowKeys = new List<string>();
        await foreach (var entity in _objects.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rowKeys.Add(entity.RowKey);
        }

        // One by one: rare, and a concurrent cleanup deleting a row (404, answered without throwing) is fine.
        foreach (var rowKey in rowKeys)
        {
            await _objects.DeleteEntityAsync(bucket, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
    }
}
