using R2Meta.S3.Pipeline;
using R2Meta.S3.Routing;
using static R2Meta.S3.Pipeline.HandledOperation;
using Access = R2Meta.Domain.Accounts.OperationAccess;
using Level = R2Meta.S3.Routing.ResourceLevel;

namespace R2Meta.S3.Handlers;

/// <summary>
/// Every S3 operation the service answers, in one table: name, the requests it answers (most specific first —
/// the router takes the first row that matches), the access its key needs and its handler. A new operation is one
/// row here plus its handler method; names are recorded by logs, metrics and alerts and never change.
/// Access follows R2's token permissions: bucket management and configuration changes need admin read/write,
/// ListBuckets and configuration reads admin read; HeadBucket, GetBucketLocation and every object read or
/// listing need object read (R2's object tokens can head their buckets); object writes need object write, and
/// copies read on the source bucket as well.
/// </summary>
public static class S3Operations
{
    public static IReadOnlyList<HandledOperation> All { get; } =
    [
        On<BucketHandlers>(new("ListBuckets", "GET", Level.Service, Access.AdminRead), static (h, c) => h.ListBucketsAsync(c)),

        On<BucketHandlers>(new("GetBucketLocation", "GET", Level.Bucket, Access.ObjectRead, Query: "location"), static (h, c) => h.GetBucketLocationAsync(c)),
        On<BucketSettingsHandlers>(new("GetBucketEncryption", "GET", Level.Bucket, Access.AdminRead, Query: "encryption"), static (h, c) => h.GetBucketEncryptionAsync(c)),
        On<BucketSettingsHandlers>(new("PutBucketEncryption", "PUT", Level.Bucket, Access.AdminWrite, Query: "encryption"), static (h, c) => h.PutBucketEncryptionAsync(c)),
        On<BucketSettingsHandlers>(new("DeleteBucketEncryption", "DELETE", Level.Bucket, Access.AdminWrite, Query: "encryption"), static (h, c) => h.DeleteBucketEncryptionAsync(c)),
        On<BucketSettingsHandlers>(new("GetBucketOwnershipControls", "GET", Level.Bucket, Access.AdminRead, Query: "ownershipControls"), static (h, c) => h.GetBucketOwnershipControlsAsync(c)),
        On<BucketSettingsHandlers>(new("PutBucketOwnershipControls", "PUT", Level.Bucket, Access.AdminWrite, Query: "ownershipControls"), static (h, c) => h.PutBucketOwnershipControlsAsync(c)),
        On<BucketSettingsHandlers>(new("DeleteBucketOwnershipControls", "DELETE", Level.Bucket, Access.AdminWrite, Query: "ownershipControls"), static (h, c) => h.DeleteBucketOwnershipControlsAsync(c)),
        On<BucketSettingsHandlers>(new("GetBucketCors", "GET", Level.Bucket, Access.AdminRead, Query: "cors"), static (h, c) => h.GetBucketCorsAsync(c)),
        On<BucketSettingsHandlers>(new("PutBucketCors", "PUT", Level.Bucket, Access.AdminWrite, Query: "cors"), static (h, c) => h.PutBucketCorsAsync(c)),
        On<BucketSettingsHandlers>(new("DeleteBucketCors", "DELETE", Level.Bucket, Access.AdminWrite, Query: "cors"), static (h, c) => h.DeleteBucketCorsAsync(c)),
        On<LifecycleHandlers>(new("GetBucketLifecycleConfiguration", "GET", Level.Bucket, Access.AdminRead, Query: "lifecycle"), static (h, c) => h.GetBucketLifecycleConfigurationAsync(c)),
        On<LifecycleHandlers>(new("PutBucketLifecycleConfiguration", "PUT", Level.Bucket, Access.AdminWrite, Query: "lifecycle"), static (h, c) => h.PutBucketLifecycleConfigurationAsync(c)),
        On<LifecycleHandlers>(new("DeleteBucketLifecycle", "DELETE", Level.Bucket, Access.AdminWrite, Query: "lifecycle"), static (h, c) => h.DeleteBucketLifecycleAsync(c)),
        On<AclHandlers>(new("GetBucketAcl", "GET", Level.Bucket, Access.AdminRead, Query: "acl"), static (h, c) => h.GetBucketAclAsync(c)),
        On<AclHandlers>(new("PutBucketAcl", "PUT", Level.Bucket, Access.AdminWrite, Query: "acl"), static (h, c) => h.PutBucketAclAsync(c)),
        On<TaggingHandlers>(new("GetBucketTagging", "GET", Level.Bucket, Access.AdminRead, Query: "tagging"), static (h, c) => h.GetBucketTaggingAsync(c)),
        On<TaggingHandlers>(new("PutBucketTagging", "PUT", Level.Bucket, Access.AdminWrite, Query: "tagging"), static (h, c) => h.PutBucketTaggingAsync(c)),
        On<TaggingHandlers>(new("DeleteBucketTagging", "DELETE", Level.Bucket, Access.AdminWrite, Query: "tagging"), static (h, c) => h.DeleteBucketTaggingAsync(c)),
        On<NotificationHandlers>(new("GetBucketNotificationConfiguration", "GET", Level.Bucket, Access.AdminRead, Query: "notification"), static (h, c) => h.GetBucketNotificationConfigurationAsync(c)),
        On<NotificationHandlers>(new("PutBucketNotificationConfiguration", "PUT", Level.Bucket, Access.AdminWrite, Query: "notification"), static (h, c) => h.PutBucketNotificationConfigurationAsync(c)),
        On<VersioningHandlers>(new("GetBucketVersioning", "GET", Level.Bucket, Access.AdminRead, Query: "versioning"), static (h, c) => h.GetBucketVersioningAsync(c)),
        On<VersioningHandlers>(new("PutBucketVersioning", "PUT", Level.Bucket, Access.AdminWrite, Query: "versioning"), static (h, c) => h.PutBucketVersioningAsync(c)),
        On<MultipartHandlers>(new("ListMultipartUploads", "GET", Level.Bucket, Access.ObjectRead, Query: "uploads"), static (h, c) => h.ListMultipartUploadsAsync(c)),
        On<ListingHandlers>(new("ListObjectVersions", "GET", Level.Bucket, Access.ObjectRead, Query: "versions"), static (h, c) => h.ListObjectVersionsAsync(c)),
        On<ListingHandlers>(new("ListObjectsV2", "GET", Level.Bucket, Access.ObjectRead, Query: "list-type"), static (h, c) => h.ListObjectsV2Async(c)),
        On<ListingHandlers>(new("ListObjects", "GET", Level.Bucket, Access.ObjectRead), static (h, c) => h.ListObjectsAsync(c)),
        On<BucketHandlers>(new("CreateBucket", "PUT", Level.Bucket, Access.AdminWrite), static (h, c) => h.CreateBucketAsync(c)),
        On<BucketHandlers>(new("HeadBucket", "HEAD", Level.Bucket, Access.ObjectRead), static (h, c) => h.HeadBucketAsync(c)),
        On<BucketHandlers>(new("DeleteBucket", "DELETE", Level.Bucket, Access.AdminWrite), static (h, c) => h.DeleteBucketAsync(c)),
        On<DeleteObjectsHandler>(new("DeleteObjects", "POST", Level.Bucket, Access.ObjectWrite, Query: "delete"), static (h, c) => h.DeleteObjectsAsync(c)),
        // Every other bucket POST without a subresource is a form upload (any other subresource is 501 as ever);
        // its handler answers a body that is not multipart/form-data as S3 does (412).
        On<PostObjectHandler>(new("PostObject", "POST", Level.Bucket, Access.ObjectWrite, SignedInBody: true), static (h, c) => h.PostObjectAsync(c)),

        On<AclHandlers>(new("GetObjectAcl", "GET", Level.Object, Access.ObjectRead, Query: "acl"), static (h, c) => h.GetObjectAclAsync(c)),
        On<AclHandlers>(new("PutObjectAcl", "PUT", Level.Object, Access.ObjectWrite, Query: "acl"), static (h, c) => h.PutObjectAclAsync(c)),
        On<TaggingHandlers>(new("GetObjectTagging", "GET", Level.Object, Access.ObjectRead, Query: "tagging"), static (h, c) => h.GetObjectTaggingAsync(c)),
        On<TaggingHandlers>(new("PutObjectTagging", "PUT", Level.Object, Access.ObjectWrite, Query: "tagging"), static (h, c) => h.PutObjectTaggingAsync(c)),
        On<TaggingHandlers>(new("DeleteObjectTagging", "DELETE", Level.Object, Access.ObjectWrite, Query: "tagging"), static (h, c) => h.DeleteObjectTaggingAsync(c)),
        On<MultipartHandlers>(new("UploadPartCopy", "PUT", Level.Object, Access.ObjectCopy, Query: "uploadId", Query2: "partNumber", Header: "x-amz-copy-source"), static (h, c) => h.UploadPartCopyAsync(c)),
        On<MultipartHandlers>(new("UploadPart", "PUT", Level.Object, Access.ObjectWrite, Query: "uploadId", Query2: "partNumber"), static (h, c) => h.UploadPartAsync(c)),
        On<ObjectHandlers>(new("CopyObject", "PUT", Level.Object, Access.ObjectCopy, Header: "x-amz-copy-source"), static (h, c) => h.CopyObjectAsync(c)),
        On<ObjectHandlers>(new("PutObject", "PUT", Level.Object, Access.ObjectWrite), static (h, c) => h.PutObjectAsync(c)),
        On<MultipartHandlers>(new("ListParts", "GET", Level.Object, Access.ObjectRead, Query: "uploadId"), static (h, c) => h.ListPartsAsync(c)),
        On<ObjectHandlers>(new("GetObjectAttributes", "GET", Level.Object, Access.ObjectRead, Query: "attributes"), static (h, c) => h.GetObjectAttributesAsync(c)),
        On<ObjectHandlers>(new("GetObject", "GET", Level.Object, Access.ObjectRead), static (h, c) => h.GetObjectAsync(c)),
        On<ObjectHandlers>(new("HeadObject", "HEAD", Level.Object, Access.ObjectRead), static (h, c) => h.HeadObjectAsync(c)),
        On<MultipartHandlers>(new("CreateMultipartUpload", "POST", Level.Object, Access.ObjectWrite, Query: "uploads"), static (h, c) => h.CreateMultipartUploadAsync(c)),
        On<MultipartHandlers>(new("CompleteMultipartUpload", "POST", Level.Object, Access.ObjectWrite, Query: "uploadId"), static (h, c) => h.CompleteMultipartUploadAsync(c)),
        On<MultipartHandlers>(new("AbortMultipartUpload", "DELETE", Level.Object, Access.ObjectWrite, Query: "uploadId"), static (h, c) => h.AbortMultipartUploadAsync(c)),
        On<ObjectHandlers>(new("DeleteObject", "DELETE", Level.Object, Access.ObjectWrite), static (h, c) => h.DeleteObjectAsync(c)),
    ];
}
