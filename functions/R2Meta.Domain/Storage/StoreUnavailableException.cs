namespace R2Meta.Domain.Storage;

/// <summary>Why a store could not answer at all.</summary>
public enum StoreUnavailableReason
{
    /// <summary>The store kept throttling after the SDK's retries.</summary>
    Throttled = 1,

    /// <summary>The store could not be reached: connection refused or reset, name not resolved.</summary>
    Unreachable = 2,

    /// <summary>The store did not answer within the store-call timeout.</summary>
    Timeout = 3,

    /// <summary>
    /// The bucket is being moved to another metadata cluster (its writes are fenced for a moment) or was deleted or
    /// moved since this instance looked it up: the same request succeeds (or answers NoSuchBucket) when retried.
    /// </summary>
    BucketMoving = 4,
}

/// <summary>
/// Thrown by each adapter's one guard when the store as a whole is in trouble (throttling, unreachable,
/// timed out), never for an answer about the item asked for, which stays a <see cref="StoreStatus"/>.
/// <para>
/// An exception rather than an outcome on purpose: such trouble is not an answer to this request, no
/// caller between the adapter and the pipeline can do anything about it but give up, and it can come
/// from any of the several store calls one operation makes. As an outcome every service and handler
/// would have to pass it up by hand on every path; as one exception type the pipeline maps it in one
/// place (503 with Retry-After) and nothing in between has to know about it.
/// </para>
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(StoreUnavailableReason reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message) : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public StoreUnavailableReason Reason { get; } = StoreUnavailableReason.Unreachable;
}
