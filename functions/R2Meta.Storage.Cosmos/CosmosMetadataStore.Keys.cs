using System.Net;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>The access keys (<see cref="IAccessKeyStore"/>) in container <c>keys</c>; see <see cref="KeyDocument"/>.</summary>
public sealed partial class CosmosMetadataStore : IAccessKeyStore
{
    private const string AllKeysQuery = "SELECT * FROM c ORDER BY c.id";

    public Task<StoreResult<StoredKey>> GetKeyAsync(string keyId, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        try
        {
            var response = await _keys.ReadItemAsync<KeyDocument>(keyId, new PartitionKey(keyId), cancellationToken: cancellationToken).ConfigureAwait(false);
            return StoreResult<StoredKey>.Ok(response.Resource.ToRecord(response.ETag));
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return StoreResult<StoredKey>.Fail(StoreStatus.NotFound);
        }
    }, cancellationToken);

    public Task<StoreResult<StoredKey>> CreateKeyAsync(StoredKey key, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            var response = await _keys.CreateItemAsync(KeyDocument.FromRecord(key), new PartitionKey(key.KeyId), WithoutContent(), cancellationToken).ConfigureAwait(false);
            return StoreResult<StoredKey>.Ok(key with { Version = response.ETag });
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return StoreResult<StoredKey>.Fail(StoreStatus.AlreadyExists);
        }
    }, cancellationToken);

    public Task<StoreResult<StoredKey>> ReplaceKeyAsync(StoredKey key, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            var response = await _keys.ReplaceItemAsync(
                KeyDocument.FromRecord(key), key.KeyId, new PartitionKey(key.KeyId), WithoutContent(RequireVersion(key.Version)), cancellationToken).ConfigureAwait(false);
            return StoreResult<StoredKey>.Ok(key with { Version = response.ETag });
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return StoreResult<StoredKey>.Fail(StoreStatus.PreconditionFailed);
        }
    }, cancellationToken);

    public Task<IReadOnlyList<StoredKey>> ListKeysAsync(CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        using var iterator = _keys.GetItemQueryIterator<KeyDocument>(new QueryDefinition(AllKeysQuery));
        var keys = new List<StoredKey>();
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            keys.AddRange(page.Select(document => document.ToRecord()));
        }

        keys.Sort((x, y) => string.CompareOrdinal(x.KeyId, y.KeyId));
        return (IReadOnlyList<StoredKey>)keys;
    }, cancellationToken);
}
