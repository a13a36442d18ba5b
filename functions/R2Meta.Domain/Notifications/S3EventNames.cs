namespace R2Meta.Domain.Notifications;

/// <summary>
/// The event types this service emits, as S3 names them ("s3:" + type; messages carry the name without "s3:"), and
/// the wildcard rule: "s3:ObjectCreated:*" covers every "s3:ObjectCreated:…".
/// </summary>
public static class S3EventNames
{
    public const string ObjectCreatedPut = "s3:ObjectCreated:Put";
    public const string ObjectCreatedPost = "s3:ObjectCreated:Post";
    public const string ObjectCreatedCopy = "s3:ObjectCreated:Copy";
    public const string ObjectCreatedCompleteMultipartUpload = "s3:ObjectCreated:CompleteMultipartUpload";
    public const string ObjectRemovedDelete = "s3:ObjectRemoved:Delete";
    public const string ObjectRemovedDeleteMarkerCreated = "s3:ObjectRemoved:DeleteMarkerCreated";
    /// <summary>Lifecycle expiration deletes through the client's delete path and names its event with these.</summary>
    public const string LifecycleExpirationDelete = "s3:LifecycleExpiration:Delete";
    public const string LifecycleExpirationDeleteMarkerCreated = "s3:LifecycleExpiration:DeleteMarkerCreated";

    /// <summary>Every name a configuration may list here: the emitted types and their families' wildcards.</summary>
    public static IReadOnlySet<string> Supported { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "s3:ObjectCreated:*", ObjectCreatedPut, ObjectCreatedPost, ObjectCreatedCopy, ObjectCreatedCompleteMultipartUpload,
        "s3:ObjectRemoved:*", ObjectRemovedDelete, ObjectRemovedDeleteMarkerCreated,
        "s3:LifecycleExpiration:*", LifecycleExpirationDelete, LifecycleExpirationDeleteMarkerCreated,
    };

    /// <summary>Whether a configuration's <paramref name="configured"/> name selects the event <paramref name="eventName"/>.</summary>
    public static bool Covers(string configured, string eventName) =>
        configured == eventName
        || (configured.EndsWith(":*", StringComparison.Ordinal) && eventName.StartsWith(configured[..^1], StringComparison.Ordinal));

    /// <summary>The name as S3's messages carry it: without the "s3:" prefix ("ObjectCreated:Put").</summary>
    public static string InMessage(string eventName) => eventName.StartsWith("s3:", StringComparison.Ordinal) ? eventName[3..] : eventName;

    /// <summary>The removal event of a delete: a delete marker written, or an object or version removed; lifecycle names its own.</summary>
    public static string Removed(bool deleteMarker, bool lifecycle = false) => (deleteMarker, lifecycle) switch
    {
        (true, false) => ObjectRemovedDeleteMarkerCreated,
        (false, false) => ObjectRemovedDelete,
        (true, true) => LifecycleExpirationDeleteMarkerCreated,
        (false, true) => LifecycleExpirationDelete,
    };
}
