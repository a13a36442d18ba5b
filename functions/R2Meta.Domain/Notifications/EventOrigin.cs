using System.Net;

namespace R2Meta.Domain.Notifications;

/// <summary>
/// Who caused the request's events (S3's userIdentity, sourceIPAddress, x-amz-request-id). Ambient, like
/// <see cref="Diagnostics.RequestCost"/>: the pipeline sets it once per request after authentication, and the commit
/// deep below the services reads it only when it records an event, so no service signature carries it.
/// </summary>
/// <param name="Source">The client's address, formatted only when an event is recorded.</param>
public sealed record EventOrigin(string? PrincipalId, IPAddress? Source, string? RequestId)
{
    private static readonly AsyncLocal<EventOrigin?> Flowing = new();

    public static EventOrigin? Current => Flowing.Value;

    /// <summary>Sets the origin for the rest of the calling async method (call from a synchronous method, as RequestCost.Begin).</summary>
    public static void Set(EventOrigin origin) => Flowing.Value = origin;
}
