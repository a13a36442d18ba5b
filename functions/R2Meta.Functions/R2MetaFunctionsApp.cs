using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Hosting;

namespace R2Meta.Functions;

/// <summary>The Functions host's wiring, shared by Program.cs and the in-process tests.</summary>
public static class R2MetaFunctionsApp
{
    /// <summary>
    /// The worker's configuration includes every environment variable, unprefixed: app settings on Azure and
    /// local.settings.json Values locally, so the Kestrel host's R2META_* names apply as they are.
    /// <paramref name="overrides"/> (tests) win over them. Maintenance jobs run on the timer triggers in
    /// <see cref="MaintenanceFunctions"/>, not on an in-process scheduler.
    /// </summary>
    public static FunctionsApplicationBuilder CreateBuilder(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.ConfigureFunctionsWebApplication();
        // The worker's own Kestrel, which the Functions host forwards requests to, gets the Kestrel host's settings.
        builder.Services.Configure<KestrelServerOptions>(R2MetaKestrel.Configure);
        builder.Services.AddR2Meta(builder.Configuration, FunctionsHostPaths.ReservedBucketNames);
        if (R2MetaSettings.From(builder.Configuration).Telemetry.AnyExporter)
        {
            // The worker's invocation span continues the host's trace (host.json telemetryMode OpenTelemetry),
            // and the S3 request span opens below it.
            builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        }

        return builder;
    }
}
