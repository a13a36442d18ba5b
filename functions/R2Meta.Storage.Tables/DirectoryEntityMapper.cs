using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// Rows of the directory index (see <see cref="IMetadataStore.ReadDirectoryAsync"/>). They live in the
/// objects table, in the bucket's partition, so one entity group transaction can commit an object
/// together with its index rows. RowKey = <see cref="Mark"/> + level + <see cref="SortKeyCodec.Encode"/>
/// of the entry's name, where level is the number of "/" in the name of the directory holding the
/// entry: for an object, the number of "/" in its key; for a directory (a prefix ending in "/"), one
/// less. The entries of directory D are then exactly the rows of level count('/' in D) whose name
/// starts with D: one contiguous RowKey range.
/// <para>
/// Object rows' sort keys all start below <see cref="SortKeyCodec.AboveAll"/> &lt; <see cref="Mark"/>,
/// so index rows never mix with object rows in a sort-key range below AboveAll.
/// </para>
/// <para>
/// An object entry row is a copy of the object's entity without its per-part data (<see cref="ObjectEntityMapper"/>), so a
/// listing reads the records from the index directly. A directory row holds only
/// <see cref="DirectoryProperty"/> (its name), whose presence marks it as a directory.
/// </para>
/// </summary>
internal static class DirectoryEntityMapper
{
    /// <summary>First character of every index RowKey; above every character a sort key starts with.</summary>
    public const char Mark = '\u9000';

    /// <summary>The lowest index RowKey: rows at or above it are index rows.</summary>
    public static readonly string LowestRowKey = Mark.ToString();

    // Keys hold at most 1,024 UTF-8 bytes, so levels stay below U+0100 + 1,024: valid RowKey characters.
    private const int LevelBase = 0x0100;
    private const string DirectoryProperty = "Directory";

    /// <summary>RowKey of the entry of the object <paramref name="key"/>.</summary>
    public static string EntryRowKey(string key) => RowKey(DirectoryKeys.LevelOf(key), key);

    /// <summary>RowKey of the row of <paramref name="directory"/> (a prefix ending in "/") in its parent.</summary>
    public static string DirectoryRowKey(string directory) => RowKey(DirectoryKeys.LevelOf(directory) - 1, directory);

    /// <summary>
    /// The RowKey range [From, To) of the entries of <paramref name="directory"/> whose sort key is in
    /// [<paramref name="fromSortKey"/>, <paramref name="toSortKey"/>) (see <see cref="DirectoryKeys.EntriesRange"/>),
    /// never reaching past object sort keys. Null when the range is empty.
    /// </summary>
    public static (string From, string To)? EntriesRange(string directory, string fromSortKey, string? toSortKey)
    {
        if (DirectoryKeys.EntriesRange(directory, fromSortKey, toSortKey) is not var (from, to)
            || string.CompareOrdinal(from, AboveAll) >= 0)
        {
            return null;
        }

        var upper = to is null || string.CompareOrdinal(to, AboveAll) > 0 ? AboveAll : to;
        var level = LevelPrefix(DirectoryKeys.LevelOf(directory));
        return (level + from, level + upper);
    }

    public static TableEntity ToEntryEntity(ObjectRecord record)
    {
        // A listing never needs per-part data (up to 400 KB of an object's entity) or tags: the index copy leaves them out.
        var entity = ObjectEntityMapper.ToEntity(record with { PartSizes = null, PartChecksums = null, Tags = null });
        entity.RowKey = EntryRowKey(record.Key);
        return entity;
    }

    public static TableEntity ToDirectoryEntity(string bucket, string directory) => new(bucket, DirectoryRowKey(directory))
    {
        [SchemaVersion.PropertyName] = SchemaVersion.Current,
        [DirectoryProperty] = directory,
    };

    /// <summary>
    /// The entry a row holds. An object entry's <see cref="ObjectRecord.Version"/> is null: the row's
    /// ETag is the index row's, not the object's, and must never serve as a write condition.
    /// </summary>
    /// <summary>The properties <see cref="FromEntity"/> reads for a listing: a directory row's, and an entry row's listing fields.</summary>
    public static IReadOnlyList<string> ListingProperties { get; } = [.. ObjectEntityMapper.ListingProperties, DirectoryProperty];

    public static ListEntry FromEntity(TableEntity entity)
    {
        if (entity.GetString(DirectoryProperty) is { } directory)
        {
            SchemaVersion.Check(entity);
            return ListEntry.Prefix(directory);
        }

        return ListEntry.Of(ObjectEntityMapper.FromEntity(entity) with { Version = null });
    }

    private static string AboveAll => SortKeyCodec.AboveAll.ToString();

    private static string RowKey(int level, string name) => LevelPrefix(level) + SortKeyCodec.Encode(name);

    private static string LevelPrefix(int level) => string.Concat(Mark, (char)(LevelBase + level));

}
