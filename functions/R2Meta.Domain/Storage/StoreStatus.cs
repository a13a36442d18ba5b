namespace R2Meta.Domain.Storage;

/// <summary>Outcome of a metadata or blob store call: the per-item answers a caller expects (not found, already there, lost a race) are values, not exceptions.</summary>
public enum StoreStatus
{
    Ok = 0,
    NotFound = 1,
    /// <summary>A create-if-absent found the item already there.</summary>
    AlreadyExists = 2,
    /// <summary>A replace or delete conditioned on a version found another version (or none).</summary>
    PreconditionFailed = 3,

    // Store-wide trouble (throttled, unreachable, timed out) is not an outcome: see StoreUnavailableException.
}

/// <summary>A store outcome with a value when the status is <see cref="StoreStatus.Ok"/>.</summary>
public readonly record struct StoreResult<T>(StoreStatus Status, T? Value)
{
    public bool IsOk => Status == StoreStatus.Ok;

    public static StoreResult<T> Ok(T value) => new(StoreStatus.Ok, value);

    public static StoreResult<T> Fail(StoreStatus status) => new(status, default);
}
