using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using R2Meta.Storage.Tables.Wire;

namespace R2Meta.Storage.Tables.Transactions;

/// <summary>
/// Sends entity group transactions ($batch) without the SDK's multipart machinery, which costs most of what a
/// write allocates (the body built with StringBuilders and serialized twice, the answer parsed into many small
/// objects): the body is written once into a pooled buffer (<see cref="TransactionBody"/>), the answer read in
/// place (<see cref="TransactionResponse"/>). Same outcomes as <see cref="TableClient.SubmitTransactionAsync"/>:
/// the inner responses' ETags, or a <see cref="TableTransactionFailedException"/> with status, error code and failed
/// action index. Sent through an Azure.Core pipeline from the store's client options (retries, timeouts, the
/// per-retry policies), so a $batch is retried, timed and counted exactly as the SDK's.
/// </summary>
internal sealed class TableTransactionSender
{
    private readonly HttpPipeline _pipeline;
    private readonly Uri _batchUri;
    private readonly byte[] _endpoint;
    private readonly byte[] _host;

    internal TableTransactionSender(Uri endpoint, HttpPipeline pipeline)
    {
        var trimmed = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _pipeline = pipeline;
        _batchUri = new Uri(trimmed + "/$batch");
        _endpoint = Encoding.UTF8.GetBytes(trimmed + "/");
        _host = Encoding.UTF8.GetBytes(endpoint.Host);
    }

    /// <summary>
    /// A sender for the account <paramref name="options"/> name, or null where it cannot authenticate itself
    /// (see <see cref="TablePipeline.Create"/>): the store then keeps the SDK's transactions.
    /// </summary>
    public static TableTransactionSender? Create(TableMetadataOptions options, Uri endpoint, string accountName, TableClientOptions clientOptions) =>
        TablePipeline.Create(options, endpoint, accountName, clientOptions) is { } pipeline ? new TableTransactionSender(endpoint, pipeline) : null;

    /// <summary>Submits <paramref name="actions"/> (one partition, at most 100) to <paramref name="table"/> as one transaction.</summary>
    /// <returns>Each action's new ETag (null for deletes).</returns>
    /// <exception cref="TableTransactionFailedException">The transaction failed: nothing of it was applied.</exception>
    public async Task<string?[]> SubmitAsync(string table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var batchId = Guid.NewGuid();
        using var body = new PooledBufferWriter(4096);
        WriteBody(body, table, actions, batchId);

        using var span = TableSpans.Start("TableClient.SubmitTransaction");
        try
        {
            return await SendAsync(body, batchId, actions.Count, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (span is not null)
        {
            TableSpans.Fail(span, e);
            throw;
        }
    }

    private async Task<string?[]> SendAsync(PooledBufferWriter body, Guid batchId, int actionCount, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_batchUri);
        request.Headers.SetValue("x-ms-version", TransactionBody.ServiceVersion);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
        request.Headers.SetValue(HttpHeader.Names.ContentType, TransactionBody.ContentType(batchId));
        // Rewindable: a retry sends the same bytes again.
        request.Content = RequestContent.Create(body.WrittenMemory);

        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.Status != 202)
        {
            // As the SDK: a batch refused as a whole (authorization, throttling, a malformed body) is a plain request failure.
            throw new RequestFailedException(response);
        }

        return TransactionResponse.Read(BufferedContent.Of(response), actionCount);
    }

    private void WriteBody(PooledBufferWriter body, string table, IReadOnlyList<TableTransactionAction> actions, Guid batchId)
    {
        Span<byte> tableUrl = stackalloc byte[_endpoint.Length + Encoding.UTF8.GetMaxByteCount(table.Length)];
        _endpoint.CopyTo(tableUrl);
        var length = _endpoint.Length + Encoding.UTF8.GetBytes(table, tableUrl[_endpoint.Length..]);
        TransactionBody.Write(body, tableUrl[..length], _host, actions, batchId);
    }
}
