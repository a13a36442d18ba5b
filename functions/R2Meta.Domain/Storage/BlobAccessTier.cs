namespace R2Meta.Domain.Storage;

/// <summary>
/// The Blob Storage access tiers R2Meta puts blobs in (<see cref="StorageClasses.TierOf"/>): written, copied or committed
/// into one (<see cref="IBlobStore.WriteAsync"/>), moved in place by <see cref="IBlobStore.SetAccessTierAsync"/>.
/// </summary>
public enum BlobAccessTier
{
    Hot = 0,
    Cool = 1,
}
