namespace R2Meta.Domain.Storage;

/// <summary>
/// One tag of an object's or a bucket's tag set (PutObjectTagging, x-amz-tagging, PutBucketTagging), as the
/// protocol layer validated it. A tag set keeps the order the client gave.
/// </summary>
public sealed record Tag(string Key, string Value);
