using System.Text;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Keys;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// How the directory index lies in the objects container. Every object document carries
/// <c>level</c> = <see cref="DirectoryKeys.LevelOf"/> its key; every directory document
/// (<see cref="DirectoryDocument"/>) carries the level of its parent's entries. So the entries directly in directory D are exactly the
/// documents whose level is the number of "/" in D and whose sort key lies in D's prefix range: one
/// indexed query, objects and subdirectories interleaved in sort-key order.
/// </summary>
internal static class DirectoryIndex
{
    /// <summary>
    /// What a directory entry (and a flat listing's object, <see cref="CosmosMetadataStore.ReadListingRangeAsync"/>) is read
    /// with: the fields of <see cref="DirectoryDocument"/> and those of <see cref="ObjectDocument"/> a listing shows (see
    /// <see cref="R2Meta.Domain.Storage.IMetadataStore.ReadDirectoryAsync"/>),
    /// not the content headers, tags, per-part data, pending events or Cosmos' other system properties: a
    /// multipart object's document carries up to 470 KB of part checksums that no listing reads.
    /// </summary>
    internal const string ListingFields =
        "c.id, c.bucket, c.key, c.name, c.kind, c.shard, c.sortKey, c.level, c.schemaVersion, c.blobName, c.size, c.s3ETag, " +
        "c.lastModified, c.storageClass, c.checksums, c.checksumType, c.partsCount, c.versionId, c.nullVersion, c.deleteMarker, c._etag";

    /// <summary>The four shapes of the query (bounded above or not, overflow or not), built once rather than per page.</summary>
    private static readonly string[] QueryTexts = [QueryText(false, false), QueryText(true, false), QueryText(false, true), QueryText(true, true)];

    /// <summary>
    /// The query for the entries of <paramref name="directory"/> with sort key in [from, to) (to null =
    /// unbounded), at most @limit, ordered by sort key; null when the range holds none of its entries.
    /// The range is narrowed to the directory's own, so entries of other directories at the same level
    /// never show.
    /// </summary>
    public static QueryDefinition? Query(string bucket, string directory, string fromSortKey, string? toSortKey, int limit)
    {
        if (DirectoryKeys.EntriesRange(directory, fromSortKey, toSortKey) is not var (from, to))
        {
            return null;
        }

        var overflow = Encoding.UTF8.GetByteCount(directory) > SortKeyCodec.MaxSortableBytes;
        var text = QueryTexts[(to is null ? 0 : 1) + (overflow ? 2 : 0)];
        var query = new QueryDefinition(text)
            .WithParameter("@limit", limit)
            .WithParameter("@bucket", bucket)
            .WithParameter("@level", DirectoryKeys.LevelOf(directory))
            .WithParameter("@from", from);
        if (to is not null)
        {
            query = query.WithParameter("@to", to);
        }

        return overflow ? query.WithParameter("@directory", directory) : query;
    }

    private static string QueryText(bool bounded, bool overflow) =>
        "SELECT TOP @limit " + ListingFields + " FROM c WHERE c.bucket = @bucket AND c.level = @level AND c.sortKey >= @from"
        + (bounded ? " AND c.sortKey < @to" : string.Empty)
        // Past the sortable length a prefix range spans a whole overflow group, which may hold entries
        // of other directories: only then is the name itself compared (not indexed, but the range is narrow).
        + (overflow ? " AND (STARTSWITH(c.key, @directory) OR STARTSWITH(c.name, @directory))" : string.Empty)
        // Both ORDER BY properties, so the composite index (level, sortKey) serves the query (CosmosModel.Objects).
        + " ORDER BY c.level, c.sortKey";
}
