using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using R2Meta.Storage.Tables.Wire;

namespace R2Meta.Storage.Tables.Queries;

/// <summary>
/// Point reads and query pages without the SDK's query path, which costs most of what a read allocates (the answer
/// copied into a growing stream, parsed into a document, every row into a dictionary, then copied into an entity):
/// the same requests as Azure.Data.Tables sends (URI, escaping, headers, Shared Key Lite or bearer authorization),
/// answers read in place by <see cref="EntityJsonReader"/> into the <see cref="TableEntity"/> values the SDK gives.
/// Same outcomes as <see cref="TableClient.GetEntityIfExistsAsync{T}"/> and a page of <see cref="TableClient.QueryAsync{T}(string, int?, IEnumerable{string}, CancellationToken)"/>:
/// a missing entity is null, any other failure a <see cref="RequestFailedException"/> of the response. Sent through
/// <see cref="TablePipeline"/>, so reads are retried, timed and counted as the SDK's.
/// </summary>
internal sealed class TableReader
{
    /// <summary>The x-ms-version Azure.Data.Tables 12.13 sends.</summary>
    private const string ServiceVersion = "2020-12-06";

    private const string MinimalMetadata = "application/json;odata=minimalmetadata";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;

    public TableReader(Uri endpoint, HttpPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        _pipeline = pipeline;
    }

    /// <summary>A reader for the account <paramref name="options"/> name, or null where <see cref="TablePipeline.Create"/> gives no pipeline.</summary>
    public static TableReader? Create(TableMetadataOptions options, Uri endpoint, string accountName, TableClientOptions clientOptions) =>
        TablePipeline.Create(options, endpoint, accountName, clientOptions) is { } pipeline ? new TableReader(endpoint, pipeline) : null;

    /// <summary>The entity (<paramref name="select"/>: only those properties), or null when there is none.</summary>
    /// <exception cref="RequestFailedException">The service answered with a failure other than 404.</exception>
    public async Task<TableEntity?> GetEntityIfExistsAsync(string table, string partitionKey, string rowKey, IReadOnlyList<string>? select = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        using var span = TableSpans.Start("TableClient.GetEntityIfExists");
        try
        {
            using var message = CreateMessage(table);
            var uri = message.Request.Uri;
            // As the SDK: quotes doubled (OData string literal), then the key escaped as a path segment.
            uri.AppendPath("(PartitionKey='", false);
            uri.AppendPath(partitionKey.Replace("'", "''", StringComparison.Ordinal), true);
            uri.AppendPath("',RowKey='", false);
            uri.AppendPath(rowKey.Replace("'", "''", StringComparison.Ordinal), true);
            uri.AppendPath("')", false);
            uri.AppendQuery("$format", MinimalMetadata, true);
            AppendSelect(uri, select);

            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var response = message.Response;
            return response.Status switch
            {
                200 => EntityJsonReader.ReadEntity(BufferedContent.Of(response)),
                404 => null,
                _ => throw new RequestFailedException(response),
            };
        }
        catch (Exception e) when (span is not null)
        {
            TableSpans.Fail(span, e);
            throw;
        }
    }

    /// <summary>
    /// One page of the query <paramref name="filter"/> (an OData filter as <see cref="TableClient.CreateQueryFilter(FormattableString)"/> makes
    /// it), at most <paramref name="top"/> rows, added to <paramref name="rows"/>.
    /// </summary>
    /// <param name="after">Where to start: the continuation of the page before, or null for the first.</param>
    /// <returns>Where the next page starts, or null after the last.</returns>
    /// <exception cref="RequestFailedException">The service answered with a failure.</exception>
    public async Task<TableContinuation?> QueryPageAsync(
        string table, string filter, int top, IReadOnlyList<string>? select, TableContinuation? after, List<TableEntity> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(rows);
        using var span = TableSpans.Start("TableClient.Query");
        try
        {
            using var message = CreateMessage(table);
            // A page (up to 1,000 rows) is read into a pooled array by PooledBodyPolicy, returned once it is parsed. Not
            // worth it for a point read: one small answer the pipeline buffers in one allocation, where reading it
            // unbuffered costs the pipeline's per-read timeout.
            message.BufferResponse = false;
            var uri = message.Request.Uri;
            uri.AppendPath("()", false);
            uri.AppendQuery("$format", MinimalMetadata, true);
            uri.AppendQuery("$top", top.ToString(System.Globalization.CultureInfo.InvariantCulture), true);
            AppendSelect(uri, select);
            uri.AppendQuery("$filter", filter, true);
            if (after is { } continuation)
            {
                uri.AppendQuery("NextPartitionKey", continuation.NextPartitionKey, true);
                if (continuation.NextRowKey is { } nextRowKey)
                {
                    uri.AppendQuery("NextRowKey", nextRowKey, true);
                }
            }

            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var response = message.Response;
            using var body = response.ContentStream as PooledContent;
            if (response.Status != 200)
            {
                throw new RequestFailedException(response);
            }

            EntityJsonReader.ReadPage(BufferedContent.Of(response), rows);
            return response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartitionKey) && !string.IsNullOrEmpty(nextPartitionKey)
                ? new TableContinuation(nextPartitionKey, response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var next) ? next : null)
                : null;
        }
        catch (Exception e) when (span is not null)
        {
            TableSpans.Fail(span, e);
            throw;
        }
    }

    private HttpMessage CreateMessage(string table)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Get;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath("/", false);
        request.Uri.AppendPath(table, true);
        request.Headers.SetValue("x-ms-version", ServiceVersion);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue(HttpHeader.Names.Accept, MinimalMetadata);
        return message;
    }

    private static void AppendSelect(RequestUriBuilder uri, IReadOnlyList<string>? select)
    {
        if (select is { Count: > 0 })
        {
            uri.AppendQuery("$select", string.Join(',', select), true);
        }
    }
}
