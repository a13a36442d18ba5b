namespace R2Meta.Domain.Storage;

/// <summary>
/// The S3 storage classes R2Meta keeps (R2's two: Standard and Infrequent Access) and the Blob Storage access tier
/// each one's bytes live in. Stored as S3 spells them (<see cref="ObjectRecord.StorageClass"/>).
/// </summary>
public static class StorageClasses
{
    public const string Standard = "STANDARD";

    /// <summary>R2's Infrequent Access.</summary>
    public const string InfrequentAccess = "STANDARD_IA";

    public static bool IsSupported(string storageClass) => storageClass is Standard or InfrequentAccess;

    /// <summary>Standard in the Hot tier, Infrequent Access in the Cool tier.</summary>
    public static BlobAccessTier TierOf(string storageClass) =>
        storageClass == InfrequentAccess ? BlobAccessTier.Cool : BlobAccessTier.Hot;
}
