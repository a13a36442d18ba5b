using Azure;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Blobs;

/// <summary>Classifies Blob service failures at the adapter boundary.</summary>
internal static class BlobErrors
{
    /// <summary>The service kept throttling after the SDK's own retries.</summary>
    public static bool IsThrottled(RequestFailedException e) =>
        e.Status is 429 or 503 || e.ErrorCode is "ServerBusy";

    public static StoreThrottledException Throttled(RequestFailedException e) =>
        new("Blob storage is throttling requests.", e);
}
