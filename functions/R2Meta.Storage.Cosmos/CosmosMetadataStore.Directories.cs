using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// The directory index (layout in <see cref="DirectoryIndex"/>). Its directory documents are kept
/// without a cross-document transaction (the object commit stays one single-document write):
/// <list type="bullet">
/// <item>A put upserts every directory above the key before its commit and again after it. The one
/// before makes a crash between the commit and the second upsert harmless (the directories are already
/// there). The one after changes each directory's <c>_etag</c>, which defeats a concurrent cleanup that
/// found the directory empty before our commit: its If-Match delete fails, or, if it already went
/// through, the upsert recreates the directory.</item>
/// <item>A cleanup (after a delete, or after a failed put that created a directory) walks up from the
/// deepest directory: while a directory is empty it reads the directory's <c>_etag</c>, checks it is
/// still empty, and deletes it If-Match that <c>_etag</c>. A put whose second upsert came before the read
/// committed before the second check, which sees it; one whose upsert came after fails the If-Match.
/// 404 or 412 means someone else changed the directory: the cleanup stops there.</item>
/// <item>A put that replaces a version (If-Match on the document's <c>_etag</c>) writes no directory. The
/// document it replaces has existed without a break since the put that created it, and that put's second
/// upsert (done before it answered) covered every cleanup that saw the directories empty: a cleanup that
/// checks afterwards finds the document. The replace keeps the document's id, so the directories above it
/// are the same, and it commits only while that version is still there (a delete in between fails it with
/// 404 or 412, leaving nothing to undo). Only a replace that lands while the creating put is still between
/// its commit and its second upsert relies on that upsert, as every reader does in that window.</item>
/// </list>
/// </summary>
public sealed partial class CosmosMetadataStore
{
    internal const string DirectoriesOfBucketQuery = "SELECT c.id, c.name FROM c WHERE c.bucket = @bucket AND c.kind = @kind";

    public Task<IReadOnlyList<ListEntry>> ReadDirectoryAsync(
        string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        DirectoryKeys.EnsureDirectory(directory);
        return CosmosGuard.RunAsync(() => ReadEntriesAsync(bucket, directory, fromSortKey, toSortKey, limit, cancellationToken), cancellationToken);
    }

    private async Task<IReadOnlyList<ListEntry>> ReadEntriesAsync(
        string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken)
    {
        if (DirectoryIndex.Query(bucket, directory, fromSortKey, toSortKey, limit) is not { } query)
        {
            return [];
        }

        using var iterator = _objects.GetItemQueryIterator<JsonElement>(query, requestOptions: BucketQuery(bucket, limit));
        var entries = new List<ListEntry>(Math.Min(limit, 1000));
        // A page may come back short (time or RU budget per page) with more to read.
        while (entries.Count < limit && iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            entries.AddRange(page.Take(limit - entries.Count).Select(EntryOf));
        }

        return entries;
    }

    public Task PruneDirectoryAsync(string bucket, string directory, CancellationToken cancellationToken = default)
    {
        DirectoryKeys.EnsureDirectory(directory);
        return CosmosGuard.RunAsync(async () =>
        {
            await RemoveEmptyDirectoriesAsync(bucket, DeepestFirst(directory), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private static ListEntry EntryOf(JsonElement row) =>
        row.TryGetProperty("kind", out var kind) && kind.ValueEquals(DirectoryDocument.DirectoryKind)
            ? row.Deserialize<DirectoryDocument>(SerializerOptions)!.ToEntry()
            : ListEntry.Of(row.Deserialize<ObjectDocument>(SerializerOptions)!.ToRecord());

    /// <summary>Upserts the directory documents in parallel; returns those that did not exist before.</summary>
    private async Task<IReadOnlyList<string>> UpsertDirectoriesAsync(string bucket, IReadOnlyList<string> directories, CancellationToken cancellationToken)
    {
        var created = await Task.WhenAll(directories.Select(async directory =>
        {
            var response = await _objects.UpsertItemAsync(
                DirectoryDocument.For(bucket, directory), _partitioning.Of(bucket, directory), WithoutContent(), cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.Created;
        })).ConfigureAwait(false);
        return directories.Where((_, i) => created[i]).ToList();
    }

    /// <summary>The directories above <paramref name="key"/> (<see cref="DirectoryKeys.AncestorsOf"/>), deepest first: the order cleanup walks.</summary>
    private static List<string> DeepestFirst(string key)
    {
        var directories = DirectoryKeys.AncestorsOf(key);
        directories.Reverse();
        return directories;
    }

    /// <summary>Removes <paramref name="directories"/> (deepest first, each the parent of the one before) while they are empty.</summary>
    private async Task RemoveEmptyDirectoriesAsync(string bucket, IEnumerable<string> directories, CancellationToken cancellationToken)
    {
        foreach (var directory in directories)
        {
            var partitionKey = _partitioning.Of(bucket, directory);
            if (!await IsEmptyAsync(bucket, directory, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var id = DirectoryDocument.IdOf(directory);
            try
            {
                var read = await _objects.ReadItemAsync<DirectoryDocument>(id, partitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (!await IsEmptyAsync(bucket, directory, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                await _objects.DeleteItemAsync<DirectoryDocument>(id, partitionKey, WithoutContent(read.ETag), cancellationToken).ConfigureAwait(false);
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
            {
                return;
            }
        }
    }

    private async Task<bool> IsEmptyAsync(string bucket, string directory, CancellationToken cancellationToken) =>
        (await ReadEntriesAsync(bucket, directory, string.Empty, null, 1, cancellationToken).ConfigureAwait(false)).Count == 0;

    /// <summary>Deletes the directory documents left in a bucket (a put that failed between its upserts and a cleanup).</summary>
    private async Task DeleteDirectoriesOfBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(DirectoriesOfBucketQuery)
            .WithParameter("@bucket", bucket)
            .WithParameter("@kind", DirectoryDocument.DirectoryKind);
        using var iterator = _objects.GetItemQueryIterator<JsonElement>(query, requestOptions: BucketQuery(bucket));
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(page.Select(async row =>
            {
                try
                {
                    await _objects.DeleteItemAsync<DirectoryDocument>(
                        row.GetProperty("id").GetString()!, _partitioning.Of(bucket, row.GetProperty("name").GetString()!), WithoutContent(), cancellationToken).ConfigureAwait(false);
                }
                catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                }
            })).ConfigureAwait(false);
        }
    }
}
