using System.Text;
using R2Meta.Domain.Outcomes;

namespace R2Meta.Domain.Services;

/// <summary>Object key rules and blob naming.</summary>
public static class ObjectKeys
{
    public const int MaxKeyBytes = 1024;

    public static bool IsTooLong(string key) => Encoding.UTF8.GetByteCount(key) > MaxKeyBytes;

    /// <summary>KeyTooLong for a key no object may have; null for a valid key.</summary>
    public static DomainError? Check(string key) => IsTooLong(key) ? new DomainError(Failure.KeyTooLong) : null;

    /// <summary>
    /// A blob name unique to one write, never reused: <c>{bucket}/{utc time}-{random}</c>. The bucket
    /// and write time in the name let the orphan sweeper find blobs a crashed write left behind.
    /// </summary>
    public static string NewBlobName(string bucket, DateTimeOffset now) => BlobName(bucket, now, Guid.NewGuid().ToString("N"));

    /// <summary>
    /// The blob of a multipart upload: as <see cref="NewBlobName"/>, with the (random, unique) upload id
    /// in place of the random part, so a Complete retried after the upload record is gone can still tell
    /// whether the key's current object is this upload's.
    /// </summary>
    public static string MultipartBlobName(string bucket, DateTimeOffset now, string uploadId) => BlobName(bucket, now, uploadId);

    public static bool IsMultipartBlobOf(string blobName, string bucket, string uploadId) =>
        blobName.StartsWith(bucket + "/", StringComparison.Ordinal) && blobName.EndsWith("-" + uploadId, StringComparison.Ordinal);

    private static string BlobName(string bucket, DateTimeOffset now, string unique) =>
        $"{bucket}/{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{unique}";
}
