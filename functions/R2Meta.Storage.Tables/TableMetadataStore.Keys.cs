using Azure;
using Azure.Data.Tables;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>The access keys (<see cref="IAccessKeyStore"/>) in table <c>{prefix}keys</c>; see <see cref="KeyEntityMapper"/>.</summary>
public sealed partial class TableMetadataStore : IAccessKeyStore
{
    public Task<StoreResult<StoredKey>> GetKeyAsync(string keyId, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        var entity = await GetEntityIfExistsAsync(_keys, KeyEntityMapper.Partition, keyId, select: null, cancellationToken).ConfigureAwait(false);
        return entity is not null
            ? StoreResult<StoredKey>.Ok(KeyEntityMapper.FromEntity(entity))
            : StoreResult<StoredKey>.Fail(StoreStatus.NotFound);
    }, cancellationToken);

    public Task<StoreResult<StoredKey>> CreateKeyAsync(StoredKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TableGuard.RunAsync(async () =>
        {
            try
            {
                var response = await _keys.AddEntityAsync(KeyEntityMapper.ToEntity(key), cancellationToken).ConfigureAwait(false);
                return StoreResult<StoredKey>.Ok(key with { Version = response.Headers.ETag?.ToString() });
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return StoreResult<StoredKey>.Fail(StoreStatus.AlreadyExists);
            }
        }, cancellationToken);
    }

    public Task<StoreResult<StoredKey>> ReplaceKeyAsync(StoredKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TableGuard.RunAsync(async () =>
        {
            try
            {
                var response = await _keys.UpdateEntityAsync(
                    KeyEntityMapper.ToEntity(key), new ETag(key.Version ?? throw new ArgumentException("A replace needs the version read.", nameof(key))), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return StoreResult<StoredKey>.Ok(key with { Version = response.Headers.ETag?.ToString() });
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                return StoreResult<StoredKey>.Fail(StoreStatus.PreconditionFailed);
            }
        }, cancellationToken);
    }

    public Task<IReadOnlyList<StoredKey>> ListKeysAsync(CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {KeyEntityMapper.Partition}");
        var keys = new List<StoredKey>();
        await foreach (var entity in _keys.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(KeyEntityMapper.FromEntity(entity));
        }

        keys.Sort((x, y) => string.CompareOrdinal(x.KeyId, y.KeyId));
        return (IReadOnlyList<StoredKey>)keys;
    }, cancellationToken);
}
