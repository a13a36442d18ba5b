using R2Meta.Core.Storage;

namespace R2Meta.Core.Keys;

/// <summary>
/// Reads a bucket's objects in exact UTF-8 key order from a sort-key range, page by page, ordering
/// overflow groups (see <see cref="SortKeyCodec"/>) by full key. Supports seeking forward, which is
/// how a delimiter listing skips a common prefix with one round trip.
/// </summary>
public sealed class OrderedScanner
{
    private readonly IMetadataStore _store;
    private readonly string _bucket;
    private readonly string? _to;
    private readonly int _pageSize;
    /// <summary>Rows the next read asks for: small right after a seek, doubling up to the page size.</summary>
    private int _nextRead;
    private readonly Queue<ObjectRecord> _buffer = new();
    private string _cursor;
    private bool _exhausted;

    public OrderedScanner(IMetadataStore store, string bucket, string from, string? to, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        _store = store;
        _bucket = bucket;
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

        while (_buffer.TryPeek(out var head) && string.CompareOrdinal(SortKeyCodec.Encode(head.Key), fromSortKey) < 0)
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

    /// <summary>The next object in UTF-8 key order, or null when the range is exhausted.</summary>
    public async Task<ObjectRecord?> NextAsync(CancellationToken cancellationToken = default)
    {
        if (_buffer.Count == 0 && !_exhausted)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        return _buffer.TryDequeue(out var next) ? next : null;
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

        var rows = new List<(string SortKey, ObjectRecord Record)>(page.Count);
        rows.AddRange(page.Select(r => (SortKeyCodec.Encode(r.Key), r)));

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
                rows.AddRange(more.Select(r => (SortKeyCodec.Encode(r.Key), r)));
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

        foreach (var record in OrderGroups(rows))
        {
            _buffer.Enqueue(record);
        }
    }

    private async Task<IReadOnlyList<ObjectRecord>> ReadAsync(string from, string? to, int limit, CancellationToken cancellationToken)
    {
        RoundTrips++;
        return await _store.ReadRangeAsync(_bucket, from, to, limit, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<ObjectRecord> OrderGroups(List<(string SortKey, ObjectRecord Record)> rows)
    {
        var i = 0;
        while (i < rows.Count)
        {
            if (!SortKeyCodec.IsOverflow(rows[i].SortKey))
            {
                yield return rows[i++].Record;
                continue;
            }

            var group = SortKeyCodec.OverflowGroupOf(rows[i].SortKey);
            var j = i;
            while (j < rows.Count && rows[j].SortKey.StartsWith(group, StringComparison.Ordinal))
            {
                j++;
            }

            foreach (var record in rows.GetRange(i, j - i).Select(r => r.Record).OrderBy(r => r.Key, Utf8Order.Instance))
            {
                yield return record;
            }

            i = j;
        }
    }
}
