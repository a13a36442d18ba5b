using Azure.Core;
using Azure.Data.Tables;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Tables.Queries;
using R2Meta.Storage.Tables.Transactions;
using R2Meta.Storage.Tables.Wire;

namespace R2Meta.Storage.Tables;

/// <summary>The store's Table clients: their options, and the one path every entity group transaction takes (reads: TableMetadataStore.Reads.cs).</summary>
public sealed partial class TableMetadataStore
{
    private static (TableServiceClient, TableTransactionSender?, TableReader?) Connect(TableMetadataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = CreateClientOptions(options.Calls);
        AddPolicies(clientOptions, options);
        var service = options switch
        {
            { ServiceUri: { } uri, Credential: { } credential } => new TableServiceClient(uri, credential, clientOptions),
            { ConnectionString: { Length: > 0 } connection } => new TableServiceClient(connection, clientOptions),
            _ => throw new ArgumentException("A table service URI with a credential, or a connection string, is required.", nameof(options)),
        };

        // The store's own requests (transactions, reads) share one pipeline with the clients' retries, timeouts and policies.
        var ownOptions = CreateTransportOptions(options.Calls);
        AddPolicies(ownOptions, options);
        return TablePipeline.Create(options, service.Uri, service.AccountName, ownOptions) is { } pipeline
            ? (service, new TableTransactionSender(service.Uri, pipeline), new TableReader(service.Uri, pipeline))
            : (service, null, null);
    }

    private static void AddPolicies(TableClientOptions clientOptions, TableMetadataOptions options)
    {
        foreach (var policy in options.Policies)
        {
            clientOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
    }

    /// <summary>
    /// Client options a <see cref="TableServiceClient"/> for this store needs: without them, writing an
    /// object whose key is longer than about 800 bytes fails after it committed (see <see cref="BatchResponseHeaderPolicy"/>);
    /// <paramref name="calls"/> bounds each store call (default: <see cref="StoreCallPolicy"/>'s).
    /// </summary>
    public static TableClientOptions CreateClientOptions(StoreCallPolicy? calls = null)
    {
        var clientOptions = CreateTransportOptions(calls);
        clientOptions.AddPolicy(new BatchResponseHeaderPolicy(), HttpPipelinePosition.PerCall);
        return clientOptions;
    }

    /// <summary>Retries, timeouts and round-trip counting: what every Table request of this store gets.</summary>
    private static TableClientOptions CreateTransportOptions(StoreCallPolicy? calls)
    {
        calls ??= new StoreCallPolicy();
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = calls.MaxRetries;
        clientOptions.Retry.Delay = calls.RetryDelay;
        clientOptions.Retry.MaxDelay = calls.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = calls.AttemptTimeout;
        clientOptions.AddPolicy(new RoundTripCountingPolicy(), HttpPipelinePosition.PerCall);
        return clientOptions;
    }

    /// <summary>
    /// Submits one entity group transaction on <paramref name="table"/>, through <see cref="TableTransactionSender"/>
    /// when the store has one, else the SDK's.
    /// </summary>
    /// <returns>The first action's new ETag.</returns>
    /// <exception cref="TableTransactionFailedException">The transaction failed as a whole.</exception>
    private async Task<string?> SubmitTransactionAsync(TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        if (_transactions is not null)
        {
            return (await _transactions.SubmitAsync(table.Name, actions, cancellationToken).ConfigureAwait(false))[0];
        }

        var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        return response.Value[0].Headers.ETag?.ToString();
    }
}
