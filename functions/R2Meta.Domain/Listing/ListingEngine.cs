using System.Text;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Listing;

/// <summary>
/// Produces one page of a bucket listing in exact UTF-8 key order, with the cost of the page rather
/// than of the bucket: it reads about <c>max-keys + 1</c> objects per store round trip and, with a
/// delimiter, seeks past each common prefix as soon as it is found, so the keys below a common prefix
/// are never read. A page therefore costs at most one round trip per common prefix it returns, plus
/// one to find the next entry (which decides IsTruncated), plus what the rare overflow groups of very
/// long keys need (see <see cref="SortKeyCodec"/>).
/// <para>
/// An entry (key or common prefix) is returned only when it is greater than <see cref="ListQuery.After"/>;
/// a common prefix equal to After is therefore skipped whole, which is how resuming after a page that
/// ended on a common prefix works (for tokens and for V1 markers alike).
/// </para>
/// <para>
/// The most common listing — delimiter "/" under the top level or a prefix ending in "/" — reads the
/// store's directory index instead (<see cref="IMetadataStore.ReadDirectoryAsync"/>) when the bucket has
/// one: its entries are exactly that listing's keys and common prefixes, so a page is one round trip
/// however many keys lie below its common prefixes.
/// </para>
/// </summary>
public sealed class ListingEngine
{
    private readonly IMetadataStore _store;

    public ListingEngine(IMetadataStore store) => _store = store;

    /// <summary>Lists <paramref name="bucket"/>, through its directory index when it has one and the query allows.</summary>
    public Task<ListPage> ListAsync(BucketRecord bucket, ListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return ListAsync(bucket.Name, query, bucket.HasDirectoryIndex && ReadsAsDirectory(query), cancellationToken);
    }

    /// <summary>Lists <paramref name="bucket"/> by scanning its keys (and seeking past common prefixes).</summary>
    public Task<ListPage> ListAsync(string bucket, ListQuery query, CancellationToken cancellationToken = default) =>
        ListAsync(bucket, query, fromDirectory: false, cancellationToken);

    /// <summary>True when the query's entries are those of one directory: delimiter "/" and a prefix that is empty or ends in "/".</summary>
    internal static bool ReadsAsDirectory(ListQuery query) =>
        query.Delimiter == "/" && (query.Prefix.Length == 0 || query.Prefix.EndsWith('/'));

    private async Task<ListPage> ListAsync(string bucket, ListQuery query, bool fromDirectory, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(query.MaxKeys);
        if (query.MaxKeys == 0)
        {
            // S3 answers max-keys=0 with an empty, untruncated page.
            return new ListPage([], IsTruncated: false, StoreRoundTrips: 0);
        }

        var prefix = query.Prefix;
        var after = string.IsNullOrEmpty(query.After) ? null : query.After;
        var (from, to) = SortKeyCodec.PrefixRange(prefix);
        if (after is not null && Utf8Order.CompareKeys(after, prefix) >= 0)
        {
            var resume = (IsCommonPrefix(after, query) ? SkipPast(after) : null) ?? SortKeyCodec.StartAfter(after);
            if (string.CompareOrdinal(resume, from) > 0)
            {
                from = resume;
            }
        }

        if (to is not null && string.CompareOrdinal(from, to) >= 0)
        {
            return new ListPage([], IsTruncated: false, StoreRoundTrips: 0);
        }

        var pageSize = Math.Min(query.MaxKeys, ListQuery.MaxPageSize) + 1;
        var scanner = fromDirectory
            ? new OrderedScanner((f, t, limit, ct) => _store.ReadDirectoryAsync(bucket, prefix, f, t, limit, ct), from, to, pageSize)
            : new OrderedScanner(_store, bucket, from, to, pageSize);
        var entries = new List<ListEntry>(Math.Min(query.MaxKeys, ListQuery.MaxPageSize));
        var truncated = false;
        string? lastPrefix = null;
        while (await scanner.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
        {
            var key = entry.Name;
            // The sort-key range can hold a few keys outside the prefix or before After (overflow groups); skip them.
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || (after is not null && Utf8Order.CompareKeys(key, after) <= 0))
            {
                continue;
            }

            // A directory entry is a common prefix already; an object in the directory never rolls up.
            var commonPrefix = entry.IsCommonPrefix ? key : CommonPrefixOf(key, query);
            if (commonPrefix is not null)
            {
                if (commonPrefix == lastPrefix)
                {
                    continue;
                }

                if (after is null || Utf8Order.CompareKeys(commonPrefix, after) > 0)
                {
                    if (entries.Count == query.MaxKeys)
                    {
                        truncated = true;
                        break;
                    }

                    entries.Add(new ListEntry(commonPrefix, null));
                    lastPrefix = commonPrefix;
                }

                // Never read the keys below a common prefix: one seek past all of them (the directory holds none).
                if (!fromDirectory && SkipPast(commonPrefix) is { } next)
                {
                    scanner.SeekTo(next);
                }

                continue;
            }

            if (entries.Count == query.MaxKeys)
            {
                truncated = true;
                break;
            }

            entries.Add(entry);
        }

        return new ListPage(entries, truncated, scanner.RoundTrips);
    }

    /// <summary>The common prefix <paramref name="key"/> rolls up into, or null when it is listed as itself.</summary>
    internal static string? CommonPrefixOf(string key, ListQuery query)
    {
        if (!query.Groups)
        {
            return null;
        }

        var at = key.IndexOf(query.Delimiter!, query.Prefix.Length, StringComparison.Ordinal);
        return at < 0 ? null : key[..(at + query.Delimiter!.Length)];
    }

    /// <summary>
    /// The sort key just past every key starting with <paramref name="prefix"/>, or null when the prefix
    /// reaches into overflow groups: there <see cref="SortKeyCodec.After"/> would also pass keys that do
    /// not start with it, so the few keys of such a long prefix are read and filtered instead.
    /// </summary>
    private static string? SkipPast(string prefix) =>
        Encoding.UTF8.GetByteCount(prefix) <= SortKeyCodec.MaxSortableBytes ? SortKeyCodec.After(prefix) : null;

    /// <summary>True when <paramref name="name"/> is itself a common prefix of this query, so everything under it can be skipped.</summary>
    private static bool IsCommonPrefix(string name, ListQuery query) =>
        name.StartsWith(query.Prefix, StringComparison.Ordinal) && CommonPrefixOf(name, query)?.Length == name.Length;
}
