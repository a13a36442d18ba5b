using System.Net;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>The adapter's one guard (<see cref="StoreGuard"/>): what Cosmos DB failures mean for the store as a whole.</summary>
internal static class CosmosGuard
{
    private const string Store = "Cosmos DB";

    // In Gateway mode the SDK lets an HTTP attempt run its own course (up to 65 s) before it looks at the
    // caller's token again, so a hung store would hold the request past its deadline: stop waiting instead.
    public static Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken) =>
        StoreGuard.RunAsync(Store, ReasonOf, () => operation().WaitAsync(cancellationToken), cancellationToken);

    public static Task RunAsync(Func<Task> operation, CancellationToken cancellationToken) =>
        StoreGuard.RunAsync(Store, ReasonOf, () => operation().WaitAsync(cancellationToken), cancellationToken);

    internal static StoreUnavailableReason? ReasonOf(Exception e) => e switch
    {
        // 429 after the SDK's own rate-limit retries.
        CosmosException { StatusCode: HttpStatusCode.TooManyRequests } => StoreUnavailableReason.Throttled,
        // The SDK answers 503 when it cannot reach the service (connection refused, reset, DNS) as well as for a service outage.
        CosmosException { StatusCode: HttpStatusCode.ServiceUnavailable } => StoreUnavailableReason.Unreachable,
        CosmosException { StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout } => StoreUnavailableReason.Timeout,
        CosmosException => null,
        _ => StoreGuard.TransportReason(e),
    };
}
