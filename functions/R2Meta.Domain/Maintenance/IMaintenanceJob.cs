namespace R2Meta.Domain.Maintenance;

/// <summary>
/// Background work that keeps the stores tidy (orphan blobs, expired uploads, empty directories). Jobs are idempotent and
/// safe to run concurrently with each other, with requests, and with another instance of themselves:
/// the Functions host runs each on a timer trigger, the Kestrel host on a periodic hosted service.
/// </summary>
public interface IMaintenanceJob
{
    /// <summary>Stable name, used in logs and as the Functions function name.</summary>
    string Name { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
