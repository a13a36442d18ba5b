using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Keys;

/// <summary>
/// Reads entries in exact UTF-8 name order from a sort-key range, page by page, ordering overflow
/// groups (see <see cref="SortKeyCodec"/>) by full name. The entries are a bucket's objects
/// (<see cref="IMetadataStore.ReadRangeAsync"/>) or one directory of its directory index
/// (<see cref="IMetadataStore.ReadDirectoryAsync"/>). Supports seeking forward, which is how a
/// delimiter listing without the index skips a common prefix with one round trip.
/// </summary>
public sealed class OrderedScanner
{
    /// <summary>One read of the underlying range: [from, to), at most limit entries, ordered by sort key.</summary>
    public delegate Task<IReadOnlyList<ListEntry>> RangeReader(string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken);

    private readonly RangeReader _read;
    private readonly string? _to;
    private readonly int _pageSize;
    /// <summary>Rows the next read asks for: small right after a seek, doubling up to the page size.</summary>
    private int _nextRead;
    private readonly Queue<ListEntry> _buffer = new();
    private string _cursor;
    private bool _exhausted;

    /// <summary>Scans the objects of <paramref name="bucket"/>.</summary>
    public OrderedScanner(IMetadataStore store, string bucket, string from, string? to, int pageSize)
        : this(ObjectsOf(store, bucket), from, to, pageSize)
    {
    }

    public OrderedScanner(RangeReader read, string from, string? to, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        _read = read;
        _cursor = from;
        _to = to;
        _pageSize = pageSize;
        _nextRead = pageSize;
    }

    private const int SmallRead = 32;

    /// <summary>Store round trips made so far.</summary>
    public int RoundTrips { get; private set; }

    /// <summary>Discards what is buffered and continues from <paramref name="fromSortKey"/> if that is further on.</summary>
    public void SeekTo(string fromSortKey)
    {
        if (string.CompareOrdinal(fromSortKey, _cursor) <= 0 && _buffer.Count == 0)
        {
            return;
        }

        while (_buffer.TryPeek(out var head) && string.CompareOrdinal(SortKeyCodec.Encode(head.Name), fromSortKey) < 0)
        {
            _buffer.Dequeue();
        }

        if (_buffer.Count == 0 && string.CompareOrdinal(fromSortKey, _cursor) > 0)
        {
            _cursor = fromSortKey;
            // What follows a skipped prefix is often another prefix to skip: read a little first.
            _nextRead = Math.Min(_pageSize, SmallRead);
            // A short page already proved nothing lies beyond the old cursor; seeking on must not read again.
            _exhausted = _exhausted || (_to is not null && string.CompareOrdinal(_cursor, _to) >= 0);
        }
    }

    /// <summary>The next entry in UTF-8 name order, or null when the range is exhausted.</summary>
    public async Task<ListEntry?> NextAsync(CancellationToken cancellationToken = default)
    {
        if (_buffer.Count == 0 && !_exhausted)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        return _buffer.TryDequeue(out var next) ? next : (ListEntry?)null;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        var requested = _nextRead;
        _nextRead = Math.Min(_pageSize, requested * 2);
        var page = await ReadAsync(_cursor, _to, requested, cancellationToken).ConfigureAwait(false);
        if (page.Count < requested)
        {
            _exhausted = true;
        }

        if (page.Count == 0)
        {
            return;
        }

        var rows = new List<(string SortKey, ListEntry Entry)>(page.Count);
        rows.AddRange(page.Select(e => (SortKeyCodec.Encode(e.Name), e)));

        // An overflow group cut by the page end must be read whole before it can be ordered.
        var last = rows[^1].SortKey;
        if (!_exhausted && SortKeyCodec.IsOverflow(last))
        {
            var groupEnd = SortKeyCodec.OverflowGroupOf(last) + SortKeyCodec.AboveAll;
            if (_to is not null && string.CompareOrdinal(_to, groupEnd) < 0)
            {
                groupEnd = _to;
            }

            var from = last + '\0';
            while (true)
            {
                var more = await ReadAsync(from, groupEnd, _pageSize, cancellationToken).ConfigureAwait(false);
                rows.AddRange(more.Select(e => (SortKeyCodec.Encode(e.Name), e)));
                if (more.Count < _pageSize)
                {
                    break;
                }

                from = rows[^1].SortKey + '\0';
            }

            _cursor = groupEnd;
            _exhausted = _to is not null && string.CompareOrdinal(_cursor, _to) >= 0;
        }
        else
        {
            _cursor = last + '\0';
        }

        foreach (var entry in OrderGroups(rows))
        {
            _buffer.Enqueue(entry);
        }
    }

    private Task<IReadOnlyList<ListEntry>> ReadAsync(string from, string? to, int limit, CancellationToken cancellationToken)
    {
        RoundTrips++;
        return _read(from, to, limit, cancellationToken);
    }

    private static RangeReader ObjectsOf(IMetadataStore store, string bucket)
    {
        ArgumentNullException.ThrowIfNull(store);
        return async (from, to, limit, cancellationToken) =>
        {
            var records = await store.ReadListingRangeAsync(bucket, from, to, limit, cancellationToken).ConfigureAwait(false);
            return records.Select(ListEntry.Of).ToList();
        };
    }

    private static IEnumerable<ListEntry> OrderGroups(List<(string SortKey, ListEntry Entry)> rows)
    {
        var i = 0;
        while (i < rows.Count)
        {
            if (!SortKeyCodec.IsOverflow(rows[i].SortKey))
            {
                yield return rows[i++].Entry;
                continue;
            }

            var group = SortKeyCodec.OverflowGroupOf(rows[i].SortKey);
            var j = i;
            while (j < rows.Count && rows[j].SortKey.StartsWith(group, StringComparison.Ordinal))
            {
                j++;
            }

            foreach (var entry in rows.GetRange(i, j - i).Select(r => r.Entry).OrderBy(e => e.Name, Utf8Order.Instance))
            {
                yield return entry;
            }

            i = j;
        }
    }
}
