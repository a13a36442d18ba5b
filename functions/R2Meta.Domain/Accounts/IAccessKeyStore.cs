using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Accounts;

/// <summary>
/// The access keys, kept by the metadata store (Tables: <c>{prefix}keys</c>; Cosmos: container <c>keys</c>).
/// Store-wide trouble is a <see cref="StoreUnavailableException"/>, as for every other port.
/// </summary>
public interface IAccessKeyStore
{
    Task<StoreResult<StoredKey>> GetKeyAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>Create-if-absent: <see cref="StoreStatus.AlreadyExists"/> when the id is taken.</summary>
    Task<StoreResult<StoredKey>> CreateKeyAsync(StoredKey key, CancellationToken cancellationToken = default);

    /// <summary>Replaces the record read at <see cref="StoredKey.Version"/>: <see cref="StoreStatus.PreconditionFailed"/> if it changed since.</summary>
    Task<StoreResult<StoredKey>> ReplaceKeyAsync(StoredKey key, CancellationToken cancellationToken = default);

    /// <summary>Every key, revoked ones included, ordered by id.</summary>
    Task<IReadOnlyList<StoredKey>> ListKeysAsync(CancellationToken cancellationToken = default);
}
