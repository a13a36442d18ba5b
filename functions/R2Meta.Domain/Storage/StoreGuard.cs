using System.Net.Sockets;

namespace R2Meta.Domain.Storage;

/// <summary>
/// Runs one adapter call and turns store-wide trouble into <see cref="StoreUnavailableException"/>. Each
/// adapter has one guard (TableGuard, BlobGuard, CosmosGuard) that supplies what its SDK's failures mean;
/// every store call of the adapter goes through it, so this is also where store calls can be observed.
/// The caller's cancellation (client gone, request deadline) is never translated, nor is anything the
/// adapter's classifier does not recognise (per-item answers are caught inside the call).
/// </summary>
public static class StoreGuard
{
    public static async Task<T> RunAsync<T>(
        string store, Func<Exception, StoreUnavailableReason?> reasonOf, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reasonOf);
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StoreUnavailableException && !cancellationToken.IsCancellationRequested && reasonOf(e) is { } reason)
        {
            throw new StoreUnavailableException(reason, $"{store} is unavailable ({reason}).", e);
        }
    }

    public static Task RunAsync(
        string store, Func<Exception, StoreUnavailableReason?> reasonOf, Func<Task> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync(store, reasonOf, async () =>
        {
            await operation().ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// The reason a failure below the SDK stands for, judged by its root cause (for an SDK's retries that
    /// gave up, the last attempt's): a socket error, a failed or cut-off HTTP exchange, a timeout. Null for
    /// anything else, e.g. an exception an upload's source stream threw, which the SDK may wrap in an HTTP
    /// exception but which is not the store's fault. The guard lets the caller's cancellation through
    /// before asking, so a cancellation seen here is an SDK's own timeout.
    /// </summary>
    public static StoreUnavailableReason? TransportReason(Exception? failure)
    {
        var root = failure;
        while (root is not null)
        {
            var next = root is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[^1] : root.InnerException;
            if (next is null)
            {
                break;
            }

            root = next;
        }

        return root switch
        {
            SocketException { SocketErrorCode: SocketError.TimedOut } => StoreUnavailableReason.Timeout,
            SocketException or HttpRequestException or HttpIOException => StoreUnavailableReason.Unreachable,
            TimeoutException or OperationCanceledException => StoreUnavailableReason.Timeout,
            _ => null,
        };
    }
}
