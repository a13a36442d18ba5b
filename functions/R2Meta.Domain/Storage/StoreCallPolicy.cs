namespace R2Meta.Domain.Storage;

/// <summary>
/// How long one store call may take: each adapter configures its SDK client from this, so a store that is
/// down or hung costs a bounded time, after which the adapter's guard reports it (<see cref="StoreUnavailableException"/>).
/// Worst case of one call against a hung store: (<see cref="MaxRetries"/> + 1) × <see cref="AttemptTimeout"/>
/// plus the retry delays; against a refused connection only the retry delays.
/// </summary>
public sealed record StoreCallPolicy
{
    /// <summary>
    /// Longest wait for one attempt of a store call (connect, send, answer). A point operation takes
    /// milliseconds, but a Table or Cosmos DB query page may legitimately take up to 5 seconds before the
    /// service cuts it short with a continuation, hence 6 (the Cosmos DB SDK's own default).
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Retries by the SDK after a transport failure, timeout or throttling, before the guard gives up.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>First retry delay; the SDKs back off exponentially from it (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}
