using Azure;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Blobs;

/// <summary>The adapter's one guard (<see cref="StoreGuard"/>): what Blob service failures mean for the store as a whole.</summary>
internal static class BlobGuard
{
    private const string Store = "Blob storage";

    public static Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken) =>
        StoreGuard.RunAsync(Store, ReasonOf, operation, cancellationToken);

    public static Task RunAsync(Func<Task> operation, CancellationToken cancellationToken) =>
        StoreGuard.RunAsync(Store, ReasonOf, operation, cancellationToken);

    internal static StoreUnavailableReason? ReasonOf(Exception e) => e switch
    {
        RequestFailedException { Status: 429 or 503 } or RequestFailedException { ErrorCode: "ServerBusy" } => StoreUnavailableReason.Throttled,
        RequestFailedException { Status: 408 or 504 } or RequestFailedException { ErrorCode: "OperationTimedOut" } => StoreUnavailableReason.Timeout,
        // Any other status answers the request; status 0 means no answer came (transport failure).
        RequestFailedException { Status: not 0 } => null,
        _ => StoreGuard.TransportReason(e),
    };
}
