namespace R2Meta.Domain.Accounts;

/// <summary>
/// What an S3 operation needs from the key that signed it; every row of the operation table declares one.
/// Stated by R2's token permissions: admin write manages buckets and their configuration, admin read lists
/// buckets and views their configuration, object read reads and lists objects, object write writes them.
/// </summary>
public enum OperationAccess
{
    /// <summary>Create or delete a bucket, change its configuration.</summary>
    AdminWrite = 0,

    /// <summary>List the account's buckets, read a bucket's configuration.</summary>
    AdminRead = 1,

    /// <summary>Read or list objects (and learn that the bucket exists, where it is).</summary>
    ObjectRead = 2,

    /// <summary>Write or delete objects, including multipart uploads.</summary>
    ObjectWrite = 3,

    /// <summary>Write an object from another one: write on the target bucket and read on the source bucket.</summary>
    ObjectCopy = 4,
}
