using Microsoft.Extensions.Logging;

namespace R2Meta.Domain.Diagnostics;

/// <summary>All log messages of the domain, with their event ids (20 and up; the protocol layer's are below 20), in one place.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Cleanup of blob {BlobName} failed; the orphan sweeper will remove it")]
    public static partial void CleanupFailed(ILogger logger, Exception exception, string blobName);

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Orphan sweep of {Bucket}: {Candidates} blobs older than {Cutoff}, {Deleted} unreferenced deleted")]
    public static partial void BucketSwept(ILogger logger, string bucket, int candidates, DateTimeOffset cutoff, int deleted);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Orphan sweep of {Bucket} failed; the next run retries it")]
    public static partial void BucketSweepFailed(ILogger logger, Exception exception, string bucket);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Orphan sweep done: {Buckets} buckets, {Candidates} blobs older than {Cutoff}, {Deleted} unreferenced deleted, {Failed} buckets failed")]
    public static partial void SweepDone(ILogger logger, int buckets, int candidates, DateTimeOffset cutoff, int deleted, int failed);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Aborting expired multipart upload {UploadId} of bucket {Bucket} failed; the next run retries it")]
    public static partial void AbortExpiredFailed(ILogger logger, Exception exception, string bucket, string uploadId);

    [LoggerMessage(EventId = 50, Level = LogLevel.Debug, Message = "Empty directory sweep of {Bucket}: {Directories} directories, {Pruned} empty ones pruned")]
    public static partial void DirectoriesSwept(ILogger logger, string bucket, int directories, int pruned);

    [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "Empty directory sweep of {Bucket} failed; the next run retries it")]
    public static partial void DirectorySweepFailed(ILogger logger, Exception exception, string bucket);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Empty directory sweep done: {Buckets} buckets, {Directories} directories, {Pruned} empty ones pruned, {Failed} buckets failed")]
    public static partial void DirectorySweepDone(ILogger logger, int buckets, int directories, int pruned, int failed);

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Lifecycle run of {Bucket} failed; the next run retries it")]
    public static partial void LifecycleBucketFailed(ILogger logger, Exception exception, string bucket);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Lifecycle run done: {Buckets} buckets, {Read} records read, {Expired} versions expired, {Aborted} uploads aborted, {Failed} buckets failed")]
    public static partial void LifecycleDone(ILogger logger, int buckets, int read, int expired, int aborted, int failed);
    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "Delivering event notifications of bucket {Bucket} failed after {Delivered} delivered; the rest stay pending for the next run")]
    public static partial void NotificationDeliveryFailed(ILogger logger, Exception exception, string bucket, int delivered);
}
