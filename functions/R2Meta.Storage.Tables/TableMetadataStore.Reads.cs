using Azure.Data.Tables;
using R2Meta.Storage.Tables.Queries;

namespace R2Meta.Storage.Tables;

/// <summary>The one path every point read and every paged query of the store takes: <see cref="TableReader"/> when the store has one, else the SDK's.</summary>
public sealed partial class TableMetadataStore
{
    /// <summary>The entity (<paramref name="select"/>: only those properties), or null when there is none.</summary>
    private async Task<TableEntity?> GetEntityIfExistsAsync(TableClient table, string partitionKey, string rowKey, IReadOnlyList<string>? select, CancellationToken cancellationToken)
    {
        if (_reader is not null)
        {
            return await _reader.GetEntityIfExistsAsync(table.Name, partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        }

        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// The first <paramref name="limit"/> rows of a query that <paramref name="keep"/> keeps (all when
    /// null). The service may end a page early (5 seconds, partition boundaries, 1,000 rows) and hand
    /// back a continuation; callers read a short answer as the end of the range, so such pages are
    /// followed until <paramref name="limit"/> rows or the true end, at one extra round trip each.
    /// </summary>
    private async Task<IReadOnlyList<T>> ReadRowsAsync<T>(TableClient table, string filter, int limit, Func<TableEntity, T> map, Func<T, bool>? keep, IReadOnlyList<string>? select, CancellationToken cancellationToken)
    {
        if (_reader is null)
        {
            return await ReadRowsWithSdkAsync(table, filter, limit, map, keep, select, cancellationToken).ConfigureAwait(false);
        }

        var pageSize = Math.Min(limit, 1000);
        var rows = new List<T>(pageSize);
        var page = new List<TableEntity>(pageSize);
        TableContinuation? next = null;
        do
        {
            page.Clear();
            next = await _reader.QueryPageAsync(table.Name, filter, pageSize, select, next, page, cancellationToken).ConfigureAwait(false);
            if (Keep(page, map, keep, rows, limit))
            {
                return rows;
            }
        }
        while (next is not null);

        return rows;
    }

    private static async Task<IReadOnlyList<T>> ReadRowsWithSdkAsync<T>(TableClient table, string filter, int limit, Func<TableEntity, T> map, Func<T, bool>? keep, IReadOnlyList<string>? select, CancellationToken cancellationToken)
    {
        var rows = new List<T>(Math.Min(limit, 1000));
        var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), select: select, cancellationToken: cancellationToken).AsPages();
        await foreach (var page in pages.ConfigureAwait(false))
        {
            if (Keep(page.Values, map, keep, rows, limit) || page.ContinuationToken is null)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>Adds the rows of <paramref name="page"/> that <paramref name="keep"/> keeps to <paramref name="rows"/>.</summary>
    /// <returns>Whether <paramref name="rows"/> reached <paramref name="limit"/>.</returns>
    private static bool Keep<T>(IReadOnlyList<TableEntity> page, Func<TableEntity, T> map, Func<T, bool>? keep, List<T> rows, int limit)
    {
        for (var i = 0; i < page.Count; i++)
        {
            var row = map(page[i]);
            if (keep is not null && !keep(row))
            {
                continue;
            }

            rows.Add(row);
            if (rows.Count == limit)
            {
                return true;
            }
        }

        return false;
    }
}
