using R2Meta.S3.Handlers;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Pipeline;

/// <summary>Dispatches a routed request to the one handler of its operation.</summary>
public sealed class S3Dispatcher
{
    private readonly BucketHandlers _buckets;
    private readonly ObjectHandlers _objects;
    private readonly DeleteObjectsHandler _deleteObjects;
    private readonly ListingHandlers _listing;
    private readonly MultipartHandlers _multipart;
    private readonly BucketSettingsHandlers _settings;

    public S3Dispatcher(BucketHandlers buckets, ObjectHandlers objects, DeleteObjectsHandler deleteObjects, ListingHandlers listing, MultipartHandlers multipart, BucketSettingsHandlers settings)
    {
        _settings = settings;
        _multipart = multipart;
        _buckets = buckets;
        _objects = objects;
        _deleteObjects = deleteObjects;
        _listing = listing;
    }

    // No default arm: a new S3Operation without a case here fails the build (CS8509 is an error under
    // TreatWarningsAsErrors). CS8524 only speaks of values outside the enum, which routing never produces.
#pragma warning disable CS8524
    public Task DispatchAsync(S3RequestContext context) => context.Operation switch
    {
        S3Operation.ListBuckets => _buckets.ListBucketsAsync(context),
        S3Operation.CreateBucket => _buckets.CreateBucketAsync(context),
        S3Operation.HeadBucket => _buckets.HeadBucketAsync(context),
        S3Operation.DeleteBucket => _buckets.DeleteBucketAsync(context),
        S3Operation.GetBucketLocation => _buckets.GetBucketLocationAsync(context),
        S3Operation.ListObjects => _listing.ListObjectsAsync(context),
        S3Operation.ListObjectsV2 => _listing.ListObjectsV2Async(context),
        S3Operation.ListObjectVersions => _listing.ListObjectVersionsAsync(context),
        S3Operation.PutObject => _objects.PutObjectAsync(context),
        S3Operation.GetObject => _objects.GetObjectAsync(context),
        S3Operation.HeadObject => _objects.HeadObjectAsync(context),
        S3Operation.DeleteObject => _objects.DeleteObjectAsync(context),
        S3Operation.CopyObject => _objects.CopyObjectAsync(context),
        S3Operation.DeleteObjects => _deleteObjects.DeleteObjectsAsync(context),
        S3Operation.CreateMultipartUpload => _multipart.CreateMultipartUploadAsync(context),
        S3Operation.UploadPart => _multipart.UploadPartAsync(context),
        S3Operation.UploadPartCopy => _multipart.UploadPartCopyAsync(context),
        S3Operation.CompleteMultipartUpload => _multipart.CompleteMultipartUploadAsync(context),
        S3Operation.AbortMultipartUpload => _multipart.AbortMultipartUploadAsync(context),
        S3Operation.ListParts => _multipart.ListPartsAsync(context),
        S3Operation.ListMultipartUploads => _multipart.ListMultipartUploadsAsync(context),
        S3Operation.GetBucketEncryption => _settings.GetBucketEncryptionAsync(context),
        S3Operation.PutBucketEncryption => _settings.PutBucketEncryptionAsync(context),
        S3Operation.DeleteBucketEncryption => _settings.DeleteBucketEncryptionAsync(context),
        S3Operation.GetBucketOwnershipControls => _settings.GetBucketOwnershipControlsAsync(context),
        S3Operation.PutBucketOwnershipControls => _settings.PutBucketOwnershipControlsAsync(context),
        S3Operation.DeleteBucketOwnershipControls => _settings.DeleteBucketOwnershipControlsAsync(context),
    };
#pragma warning restore CS8524
}
