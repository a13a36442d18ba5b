namespace R2Meta.Domain.Keys;

/// <summary>
/// The key geometry of the directory index (<see cref="Storage.IMetadataStore.ReadDirectoryAsync"/>),
/// the same for every backend. A directory is "" (the top level) or a prefix ending in "/". The
/// <em>level</em> of a name is its number of "/": an object key's level is that of the directory holding
/// it, and the entries directly in directory D are the names of level <c>LevelOf(D)</c> that start with D
/// (a subdirectory appears in its parent at its own level minus one).
/// </summary>
public static class DirectoryKeys
{
    public static int LevelOf(string name) => name.AsSpan().Count('/');

    /// <summary>Every prefix of <paramref name="key"/> ending in "/" (the key itself if it ends in "/"), shallowest first.</summary>
    public static List<string> AncestorsOf(string key)
    {
        var ancestors = new List<string>();
        for (var slash = key.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = key.IndexOf('/', slash + 1))
        {
            ancestors.Add(key[..(slash + 1)]);
        }

        return ancestors;
    }

    /// <summary>The directory holding the object <paramref name="key"/> directly: "" or its prefix up to the last "/".</summary>
    public static string DirectoryOf(string key) => key[..(key.LastIndexOf('/') + 1)];

    /// <summary>The parent of a non-empty <paramref name="directory"/>: "" or its prefix up to the "/" before its last ("/" is in "").</summary>
    public static string ParentOf(string directory) =>
        directory.Length < 2 ? "" : directory[..(directory.LastIndexOf('/', directory.Length - 2) + 1)];

    /// <summary>Throws unless <paramref name="directory"/> is "" or ends in "/".</summary>
    public static void EnsureDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (directory.Length > 0 && !directory.EndsWith('/'))
        {
            throw new ArgumentException("A directory is empty (the top level) or ends in \"/\".", nameof(directory));
        }
    }

    /// <summary>
    /// [<paramref name="fromSortKey"/>, <paramref name="toSortKey"/>) narrowed to the sort-key range of
    /// the names starting with <paramref name="directory"/> (<see cref="SortKeyCodec.PrefixRange"/>; an
    /// overflow group can still let a few others in). To is null when unbounded; null when empty.
    /// </summary>
    public static (string From, string? To)? EntriesRange(string directory, string fromSortKey, string? toSortKey)
    {
        var (from, to) = SortKeyCodec.PrefixRange(directory);
        if (string.CompareOrdinal(fromSortKey, from) > 0)
        {
            from = fromSortKey;
        }

        if (toSortKey is not null && (to is null || string.CompareOrdinal(toSortKey, to) < 0))
        {
            to = toSortKey;
        }

        return to is not null && string.CompareOrdinal(from, to) >= 0 ? null : (from, to);
    }
}
