using System.Diagnostics;
using R2Meta.Domain.Diagnostics;

namespace R2Meta.Domain.Maintenance;

/// <summary>
/// Runs one maintenance job the same way in both hosts (the Kestrel scheduler and the Functions timer triggers):
/// in a span named after the job, counting its result in <c>r2meta.maintenance.job.runs</c>. A run cut short by
/// shutdown counts as neither result.
/// </summary>
public static class MaintenanceRun
{
    public const string Ok = "ok";
    public const string Failed = "failed";

    public static async Task RunAsync(IMaintenanceJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var activity = R2MetaTelemetry.Source.StartActivity(job.Name, ActivityKind.Internal);
        activity?.SetTag(R2MetaTelemetry.Tags.MaintenanceJob, job.Name);
        try
        {
            await job.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            Count(job.Name, Failed);
            throw;
        }

        Count(job.Name, Ok);
    }

    private static void Count(string job, string result) =>
        R2MetaTelemetry.MaintenanceJobRuns.Add(1, new(R2MetaTelemetry.Tags.MaintenanceJob, job), new(R2MetaTelemetry.Tags.MaintenanceResult, result));
}
