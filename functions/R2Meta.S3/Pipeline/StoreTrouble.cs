using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Pipeline;

/// <summary>
/// The answer to a request the store could not serve: 503 SlowDown when it throttles or the bucket's writes are
/// fenced for a move between metadata clusters, 503
/// ServiceUnavailable when it is unreachable or too slow (including a passed request deadline), each
/// with a Retry-After. Never 500: the request was fine and the same request will succeed later.
/// </summary>
internal sealed record StoreTrouble(StoreUnavailableReason Reason, S3Error Error, TimeSpan RetryAfter)
{
    /// <summary>Throttling clears within about a second; an outage takes longer, and clients should not hammer a recovering store.</summary>
    private static readonly TimeSpan ThrottledRetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan UnavailableRetryAfter = TimeSpan.FromSeconds(5);

    public static StoreTrouble? Of(Exception exception, RequestDeadline deadline) =>
        exception is StoreUnavailableException { Reason: var reason } ? For(reason)
        : deadline.Expired ? For(StoreUnavailableReason.Timeout)
        : null;

    private static StoreTrouble For(StoreUnavailableReason reason) => reason is StoreUnavailableReason.Throttled or StoreUnavailableReason.BucketMoving
        ? new(reason, S3Errors.SlowDown, ThrottledRetryAfter)
        : new(reason, S3Errors.ServiceUnavailable, UnavailableRetryAfter);
}
