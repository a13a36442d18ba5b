using Azure;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>Classifies Table service failures at the adapter boundary.</summary>
internal static class TableErrors
{
    /// <summary>The service kept throttling after the SDK's own retries.</summary>
    public static bool IsThrottled(RequestFailedException e) =>
        e.Status is 429 or 503 || e.ErrorCode is "ServerBusy" or "TooManyRequests";

    public static StoreThrottledException Throttled(RequestFailedException e) =>
        new("Table storage is throttling requests.", e);
}
