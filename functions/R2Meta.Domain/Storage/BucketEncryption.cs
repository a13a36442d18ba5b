namespace R2Meta.Domain.Storage;

/// <summary>
/// A bucket's default encryption as PutBucketEncryption set it. Blob Storage encrypts every byte at rest
/// with AES-256 under Microsoft-managed keys, so SSE-S3 (<see cref="Aes256"/>) is the only algorithm: what a
/// bucket keeps is that a default was set, and its BucketKeyEnabled flag, so GetBucketEncryption gives back
/// what was put. A bucket without one answers <see cref="Default"/>, as S3 and R2 do.
/// </summary>
public sealed record BucketEncryption
{
    /// <summary>S3's name for server-side encryption with service-managed keys (SSE-S3).</summary>
    public const string Aes256 = "AES256";

    public static BucketEncryption Default { get; } = new();

    public string Algorithm { get; init; } = Aes256;

    /// <summary>Meaningful to S3 for SSE-KMS only; kept so a configuration reads back as it was written.</summary>
    public bool BucketKeyEnabled { get; init; }
}
