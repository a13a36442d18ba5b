using System.Text;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Listing;

/// <summary>
/// ListObjectVersions: merges the current records (delete markers included) with the version history, both read
/// in sort-key order (<see cref="IVersionStore"/>), into S3's order — key in UTF-8 order, then newest first. A
/// key's current record is its newest version (every history entry was superseded by it), so it comes first and
/// is the one marked IsLatest; history entries follow in id order, which is newest first. An entry with the id
/// of a version already listed for the key (a duplicate a crash left) is dropped. A page reads about
/// <c>max-keys + 1</c> entries from each range per round trip and seeks past each common prefix, so its cost
/// follows the page. Keys longer than <see cref="SortKeyCodec.MaxSortableBytes"/> that share an overflow group
/// are listed in the group's hash order, not in UTF-8 order among themselves.
/// </summary>
public sealed class VersionListingEngine
{
    private readonly IVersionStore _versions;
    private readonly IMetadataStore _metadata;

    public VersionListingEngine(IVersionStore versions, IMetadataStore metadata)
    {
        _versions = versions;
        _metadata = metadata;
    }

    public async Task<VersionPage> ListAsync(string bucket, VersionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.MaxKeys);
        var max = Math.Min(query.MaxKeys, ListQuery.MaxPageSize);
        var roundTrips = 0;
        if (max == 0)
        {
            return new VersionPage([], IsTruncated: false, 0);
        }

        var (from, to) = SortKeyCodec.PrefixRange(query.Prefix);
        var entries = new List<VersionEntry>();
        var pageSize = max + 1;

        if (query.KeyMarker is { } keyMarker && Utf8Order.CompareKeys(keyMarker, query.Prefix) >= 0)
        {
            var commonPrefix = CommonPrefixOf(keyMarker, query);
            var resume = commonPrefix is not null && Encoding.UTF8.GetByteCount(commonPrefix) <= SortKeyCodec.MaxSortableBytes
                ? SortKeyCodec.After(commonPrefix) ?? VersionIds.AfterKey(keyMarker)
                : VersionIds.AfterKey(keyMarker);
            if (query.VersionIdMarker is { } versionIdMarker && commonPrefix is null && keyMarker.StartsWith(query.Prefix, StringComparison.Ordinal))
            {
                // The rest of key-marker's versions first: its history after the marker's version.
                var (historyFrom, skipNull, reads) = await ResumeWithinKeyAsync(bucket, keyMarker, versionIdMarker, cancellationToken).ConfigureAwait(false);
                roundTrips += reads;
                if (historyFrom is not null)
                {
                    var rest = new RangeReader(f => _versions.ReadVersionsAsync(bucket, f, VersionIds.RangeOf(keyMarker).To, pageSize, cancellationToken), historyFrom, pageSize, HistorySortKey);
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    if (skipNull)
                    {
                        seen.Add(VersionIds.Null);
                    }

                    while (await rest.PeekAsync().ConfigureAwait(false) is { } record)
                    {
                        rest.Take();
                        if (!seen.Add(record.S3VersionId))
                        {
                            continue;
                        }

                        if (entries.Count == max)
                        {
                            return new VersionPage(entries, IsTruncated: true, roundTrips + rest.RoundTrips);
                        }

                        entries.Add(new VersionEntry(record.Key, record, IsLatest: false));
                    }

                    roundTrips += rest.RoundTrips;
                }
            }

            if (string.CompareOrdinal(resume, from) > 0)
            {
                from = resume;
            }
        }

        var current = new RangeReader(f => _versions.ReadCurrentAsync(bucket, f, to, pageSize, cancellationToken), from, pageSize, r => SortKeyCodec.Encode(r.Key));
        var history = new RangeReader(f => _versions.ReadVersionsAsync(bucket, f, to, pageSize, cancellationToken), from, pageSize, HistorySortKey);
        var truncated = false;
        string? lastKey = null;
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var a = await current.PeekAsync().ConfigureAwait(false);
            var b = await history.PeekAsync().ConfigureAwait(false);
            if (a is null && b is null)
            {
                break;
            }

            var takeCurrent = a is not null && (b is null || string.CompareOrdinal(SortKeyCodec.Encode(a.Key), SortKeyCodec.Encode(b.Key)) <= 0);
            var record = takeCurrent ? a! : b!;

            // A sort-key range can hold a few keys outside the prefix (overflow groups): skip them.
            if (!record.Key.StartsWith(query.Prefix, StringComparison.Ordinal))
            {
                (takeCurrent ? current : history).Take();
                continue;
            }

            if (CommonPrefixOf(record.Key, query) is { } commonPrefix)
            {
                if (entries.Count == max)
                {
                    truncated = true;
                    break;
                }

                entries.Add(new VersionEntry(commonPrefix, null, IsLatest: false));
                if (Encoding.UTF8.GetByteCount(commonPrefix) <= SortKeyCodec.MaxSortableBytes && SortKeyCodec.After(commonPrefix) is { } past)
                {
                    current.SeekTo(past);
                    history.SeekTo(past);
                }
                else
                {
                    // A prefix reaching into overflow groups: read on and drop what it covers.
                    while (await current.PeekAsync().ConfigureAwait(false) is { } c && c.Key.StartsWith(commonPrefix, StringComparison.Ordinal))
                    {
                        current.Take();
                    }

                    while (await history.PeekAsync().ConfigureAwait(false) is { } h && h.Key.StartsWith(commonPrefix, StringComparison.Ordinal))
                    {
                        history.Take();
                    }
                }

                lastKey = null;
                continue;
            }

            if (record.Key != lastKey)
            {
                lastKey = record.Key;
                seenIds.Clear();
            }

            if (!seenIds.Add(record.S3VersionId))
            {
                (takeCurrent ? current : history).Take();
                continue;
            }

            if (entries.Count == max)
            {
                truncated = true;
                break;
            }

            (takeCurrent ? current : history).Take();
            entries.Add(new VersionEntry(record.Key, record, IsLatest: takeCurrent));
        }

        return new VersionPage(entries, truncated, roundTrips + current.RoundTrips + history.RoundTrips);
    }

    /// <summary>
    /// Where the history of <paramref name="key"/> resumes after version <paramref name="versionIdMarker"/>: after
    /// that id in id order (the current version's id precedes all of its history). "null" names the null version,
    /// which may be current (then every history entry follows, except copies of it) or in the history.
    /// Null when nothing of the key is left.
    /// </summary>
    private async Task<(string? From, bool SkipNull, int RoundTrips)> ResumeWithinKeyAsync(string bucket, string key, string versionIdMarker, CancellationToken cancellationToken)
    {
        if (versionIdMarker != VersionIds.Null)
        {
            return (VersionIds.After(key, versionIdMarker), false, 0);
        }

        var current = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        if (current.IsOk && current.Value!.S3VersionId == VersionIds.Null)
        {
            return (VersionIds.RangeOf(key).From, true, 1);
        }

        var (from, to) = VersionIds.RangeOf(key);
        var reads = 1;
        while (true)
        {
            var page = await _versions.ReadVersionsAsync(bucket, from, to, ListQuery.MaxPageSize, cancellationToken).ConfigureAwait(false);
            reads++;
            if (page.FirstOrDefault(v => v.S3VersionId == VersionIds.Null) is { } found)
            {
                return (VersionIds.After(key, found.VersionId!), true, reads);
            }

            if (page.Count < ListQuery.MaxPageSize)
            {
                return (null, false, reads);
            }

            from = VersionIds.After(key, page[^1].VersionId!);
        }
    }

    private static string HistorySortKey(ObjectRecord version) => VersionIds.SortKey(version.Key, version.VersionId!);

    private static string? CommonPrefixOf(string key, VersionQuery query)
    {
        if (string.IsNullOrEmpty(query.Delimiter))
        {
            return null;
        }

        var at = key.IndexOf(query.Delimiter, query.Prefix.Length, StringComparison.Ordinal);
        return at < 0 ? null : key[..(at + query.Delimiter.Length)];
    }

    /// <summary>Reads one sort-key range in batches, one round trip each, and can seek forward.</summary>
    private sealed class RangeReader(Func<string, Task<IReadOnlyList<ObjectRecord>>> read, string from, int batch, Func<ObjectRecord, string> sortKeyOf)
    {
        private IReadOnlyList<ObjectRecord> _buffer = [];
        private int _next;
        private string? _from = from;

        public int RoundTrips { get; private set; }

        public async Task<ObjectRecord?> PeekAsync()
        {
            if (_next < _buffer.Count)
            {
                return _buffer[_next];
            }

            if (_from is null)
            {
                return null;
            }

            _buffer = await read(_from).ConfigureAwait(false);
            RoundTrips++;
            _next = 0;
            _from = _buffer.Count < batch ? null : sortKeyOf(_buffer[^1]) + '\0';
            return _buffer.Count > 0 ? _buffer[0] : null;
        }

        public void Take() => _next++;

        /// <summary>Skips every entry below <paramref name="sortKey"/>: within the batch read if it reaches there, else by reading from there.</summary>
        public void SeekTo(string sortKey)
        {
            while (_next < _buffer.Count && string.CompareOrdinal(sortKeyOf(_buffer[_next]), sortKey) < 0)
            {
                _next++;
            }

            if (_next == _buffer.Count && _from is not null && string.CompareOrdinal(_from, sortKey) < 0)
            {
                _from = sortKey;
            }
        }
    }
}
