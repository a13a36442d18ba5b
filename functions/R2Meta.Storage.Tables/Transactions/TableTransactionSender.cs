using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

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
    /// <summary>Microsoft Entra scope of Azure Storage, as Azure.Data.Tables requests it for a storage endpoint.</summary>
    private const string StorageScope = "https://storage.azure.com/.default";

    // The storage emulator's well-known account (public, the same in every Azurite), which "UseDevelopmentStorage=true" means.
    private const string DevelopmentAccount = "devstoreaccount1";
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>
    /// The SDK's span for a transaction (source <c>Azure.Data.Tables.TableClient</c>, name <c>TableClient.SubmitTransaction</c>), so
    /// traces keep their shape: the store call, with the pipeline's HTTP span below it. Like the SDK's, only under the
    /// Azure.Experimental.EnableActivitySource switch, and nothing is recorded unless listened to.
    /// </summary>
    private static readonly ActivitySource Spans = new("Azure.Data.Tables.TableClient");

    private readonly HttpPipeline _pipeline;
    private readonly Uri _batchUri;
    private readonly byte[] _endpoint;
    private readonly byte[] _host;
    private readonly bool _spans;

    internal TableTransactionSender(Uri endpoint, HttpPipeline pipeline)
    {
        var trimmed = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _pipeline = pipeline;
        _batchUri = new Uri(trimmed + "/$batch");
        _endpoint = Encoding.UTF8.GetBytes(trimmed + "/");
        _host = Encoding.UTF8.GetBytes(endpoint.Host);
        _spans = AppContext.TryGetSwitch("Azure.Experimental.EnableActivitySource", out var enabled) && enabled;
    }

    /// <summary>
    /// A sender for the account <paramref name="options"/> name, or null where it cannot authenticate itself (a
    /// SAS, a connection string without a key, a Cosmos DB Table endpoint): the store then keeps the SDK's transactions.
    /// </summary>
    /// <param name="endpoint">The table service endpoint the SDK resolved from the options (<see cref="TableServiceClient.Uri"/>).</param>
    /// <param name="clientOptions">Retries, timeouts and policies as the store's clients have them, without the SDK-only <see cref="BatchResponseHeaderPolicy"/>.</param>
    public static TableTransactionSender? Create(TableMetadataOptions options, Uri endpoint, string accountName, TableClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Host.Contains(".cosmos.", StringComparison.OrdinalIgnoreCase) || !string.IsNullOrEmpty(endpoint.Query))
        {
            return null;
        }

        HttpPipelinePolicy? authorization = options switch
        {
            { ServiceUri: not null, Credential: { } credential } => new BearerTokenAuthenticationPolicy(credential, StorageScope),
            { ConnectionString: { Length: > 0 } connection } => SharedKey(connection, accountName, endpoint),
            _ => null,
        };
        return authorization is null ? null : new TableTransactionSender(endpoint, HttpPipelineBuilder.Build(clientOptions, authorization));
    }

    private static SharedKeyLitePolicy? SharedKey(string connectionString, string accountName, Uri endpoint)
    {
        var settings = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (settings.ContainsKey("SharedAccessSignature"))
        {
            return null;
        }

        var development = settings.TryGetValue("UseDevelopmentStorage", out var useDevelopment) && bool.TryParse(useDevelopment as string, out var yes) && yes;
        var key = settings.TryGetValue("AccountKey", out var accountKey) ? accountKey as string : development ? DevelopmentKey : null;
        var account = development && !settings.ContainsKey("AccountName") ? DevelopmentAccount : accountName;
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var resource = "/" + account + endpoint.AbsolutePath.TrimEnd('/') + "/$batch";
        return new SharedKeyLitePolicy(account, Convert.FromBase64String(key), resource);
    }

    /// <summary>Submits <paramref name="actions"/> (one partition, at most 100) to <paramref name="table"/> as one transaction.</summary>
    /// <returns>Each action's new ETag (null for deletes).</returns>
    /// <exception cref="TableTransactionFailedException">The transaction failed: nothing of it was applied.</exception>
    public async Task<string?[]> SubmitAsync(string table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var batchId = Guid.NewGuid();
        using var body = new PooledBufferWriter(4096);
        WriteBody(body, table, actions, batchId);

        using var span = _spans ? Spans.StartActivity("TableClient.SubmitTransaction", ActivityKind.Internal) : null;
        span?.SetTag("az.namespace", "Microsoft.Tables");
        try
        {
            return await SendAsync(body, batchId, actions.Count, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, e.Message);
            span.SetTag("error.type", e.GetType().FullName);
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

        return Read(response, actionCount);
    }

    private void WriteBody(PooledBufferWriter body, string table, IReadOnlyList<TableTransactionAction> actions, Guid batchId)
    {
        Span<byte> tableUrl = stackalloc byte[_endpoint.Length + Encoding.UTF8.GetMaxByteCount(table.Length)];
        _endpoint.CopyTo(tableUrl);
        var length = _endpoint.Length + Encoding.UTF8.GetBytes(table, tableUrl[_endpoint.Length..]);
        TransactionBody.Write(body, tableUrl[..length], _host, actions, batchId);
    }

    private static string?[] Read(Response response, int actionCount)
    {
        // The pipeline buffers answers into a MemoryStream: read its array in place.
        if (response.ContentStream is MemoryStream memory && memory.TryGetBuffer(out var buffered))
        {
            return TransactionResponse.Read(buffered.AsSpan((int)memory.Position), actionCount);
        }

        return TransactionResponse.Read(response.Content.ToMemory().Span, actionCount);
    }
}
