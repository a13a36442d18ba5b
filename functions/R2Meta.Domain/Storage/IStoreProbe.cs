namespace R2Meta.Domain.Storage;

/// <summary>
/// A store that can prove it answers, for the readiness endpoint. Each adapter implements it next to its
/// port (metadata and byte store), so readiness checks the same clients the requests use.
/// </summary>
public interface IStoreProbe
{
    /// <summary>One cheap read that needs the store to answer; throws what a failing store call throws.</summary>
    Task ProbeAsync(CancellationToken cancellationToken = default);
}
