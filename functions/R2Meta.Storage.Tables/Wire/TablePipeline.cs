using System.Data.Common;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace R2Meta.Storage.Tables.Wire;

/// <summary>
/// The Azure.Core pipeline the store's own Table requests (<see cref="Transactions.TableTransactionSender"/>,
/// <see cref="Queries.TableReader"/>) go through: the store's client options (retries, timeouts, per-retry policies,
/// round-trip counting) with the authorization the SDK would add, so they are retried, timed, counted and signed
/// as the SDK's own requests.
/// </summary>
internal static class TablePipeline
{
    /// <summary>Microsoft Entra scope of Azure Storage, as Azure.Data.Tables requests it for a storage endpoint.</summary>
    private const string StorageScope = "https://storage.azure.com/.default";

    // The storage emulator's well-known account (public, the same in every Azurite), which "UseDevelopmentStorage=true" means.
    private const string DevelopmentAccount = "devstoreaccount1";
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>
    /// A pipeline for the account <paramref name="options"/> name, or null where it cannot authenticate itself (a
    /// SAS, a connection string without a key, a Cosmos DB Table endpoint): the store then keeps the SDK's requests.
    /// </summary>
    /// <param name="endpoint">The table service endpoint the SDK resolved from the options (<see cref="TableServiceClient.Uri"/>).</param>
    /// <param name="clientOptions">Retries, timeouts and policies as the store's clients have them, without the SDK-only <see cref="BatchResponseHeaderPolicy"/>.</param>
    public static HttpPipeline? Create(TableMetadataOptions options, Uri endpoint, string accountName, TableClientOptions clientOptions)
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
            { ConnectionString: { Length: > 0 } connection } => SharedKey(connection, accountName),
            _ => null,
        };
        if (authorization is null)
        {
            return null;
        }

        var pipeline = new HttpPipelineOptions(clientOptions) { RequestFailedDetailsParser = new TableErrorParser() };
        pipeline.PerRetryPolicies.Add(authorization);
        pipeline.PerRetryPolicies.Add(new PooledBodyPolicy());
        return HttpPipelineBuilder.Build(pipeline);
    }

    private static SharedKeyLitePolicy? SharedKey(string connectionString, string accountName)
    {
        var settings = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (settings.ContainsKey("SharedAccessSignature"))
        {
            return null;
        }

        var development = settings.TryGetValue("UseDevelopmentStorage", out var useDevelopment) && bool.TryParse(useDevelopment as string, out var yes) && yes;
        var key = settings.TryGetValue("AccountKey", out var accountKey) ? accountKey as string : development ? DevelopmentKey : null;
        var account = development && !settings.ContainsKey("AccountName") ? DevelopmentAccount : accountName;
        return string.IsNullOrEmpty(key) ? null : new SharedKeyLitePolicy(account, Convert.FromBase64String(key));
    }
}
