namespace R2Meta.Domain.Outcomes;

/// <summary>
/// A <see cref="Failure"/> with what the client needs to act on it: <see cref="Subject"/> (the bucket, key,
/// upload id, condition or value concerned) and, for failures about several values, named <see cref="Facts"/>.
/// Allocated only when an operation fails.
/// </summary>
public sealed record DomainError(Failure Failure, string? Subject = null)
{
    public IReadOnlyList<KeyValuePair<string, string>> Facts { get; init; } = [];
}
