using Microsoft.Extensions.Logging;

namespace R2Meta.Core.Pipeline;

/// <summary>All log messages of the S3 layer, with their event ids, in one place.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{RequestId} {Method} {Path} -> {Operation}")]
    public static partial void Routed(ILogger logger, string requestId, string method, string path, string operation);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{RequestId} {Operation} answered {Status} {Code}")]
    public static partial void ClientError(ILogger logger, string requestId, string operation, int status, string code);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{RequestId} {Operation} failed")]
    public static partial void Unhandled(ILogger logger, Exception exception, string requestId, string operation);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{RequestId} {Operation} throttled by the store")]
    public static partial void Throttled(ILogger logger, Exception exception, string requestId, string operation);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{RequestId} client went away during {Operation}")]
    public static partial void ClientAborted(ILogger logger, string requestId, string operation);

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
}
