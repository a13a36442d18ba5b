namespace R2Meta.S3.Routing;

/// <summary>Every S3 operation the router can select. Values are stable: metrics and logs record them.</summary>
public enum S3Operation
{
    ListBuckets = 1,
    CreateBucket = 2,
    HeadBucket = 3,
    DeleteBucket = 4,
    GetBucketLocation = 5,
    ListObjects = 6,
    ListObjectsV2 = 7,
    ListObjectVersions = 8,
    DeleteObjects = 9,
    PutObject = 10,
    CopyObject = 11,
    GetObject = 12,
    HeadObject = 13,
    DeleteObject = 14,
    CreateMultipartUpload = 15,
    UploadPart = 16,
    UploadPartCopy = 17,
    CompleteMultipartUpload = 18,
    AbortMultipartUpload = 19,
    ListParts = 20,
    ListMultipartUploads = 21,
    GetBucketEncryption = 22,
    PutBucketEncryption = 23,
    DeleteBucketEncryption = 24,
    GetBucketOwnershipControls = 25,
    PutBucketOwnershipControls = 26,
    DeleteBucketOwnershipControls = 27,
}

/// <summary>What a request addresses: the service, a bucket, or an object in a bucket.</summary>
public enum ResourceLevel
{
    Service = 0,
    Bucket = 1,
    Object = 2,
}
