using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using R2Meta.Domain.Diagnostics;

namespace R2Meta.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for both hosts: R2Meta's span source and meter (<see cref="R2MetaTelemetry"/>), the Azure SDK and
/// Cosmos DB client spans below them, ASP.NET Core's own metrics, and the exporters <see cref="TelemetrySettings"/> asks for.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Spans of the store clients: Azure.Core-based SDKs (Tables, Blobs, their HTTP calls) and Cosmos DB (Azure.Cosmos.Operation).</summary>
    public const string AzureSdkSources = "Azure.*";

    public const string ServiceName = "r2meta";

    /// <summary>
    /// Lets the Azure SDKs (Azure.Core and Cosmos) open activities. They still open none while nothing listens, so this
    /// is set whether or not an exporter is configured; it must happen before the first client is created.
    /// </summary>
    public static void EnableAzureSdkActivities() => AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

    /// <summary>Adds the exporters the settings ask for; nothing at all when none is configured.</summary>
    public static IServiceCollection AddR2MetaTelemetry(this IServiceCollection services, TelemetrySettings settings, Lazy<TokenCredential> identity)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(identity);
        if (!settings.AnyExporter)
        {
            return services;
        }

        var azureMonitorCredential = settings switch
        {
            { AzureMonitorUseIdentity: false } => null,
            { AzureMonitorIdentityClientId: { } clientId } => new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)),
            _ => identity.Value,
        };

        return services.AddR2MetaTelemetry(
            tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.SamplingRatio)));
                if (settings.OtlpEndpoint is not null)
                {
                    tracing.AddOtlpExporter();
                }

                if (settings.AzureMonitorConnectionString is { } connection)
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = connection, azureMonitorCredential);
                }

                if (settings.Console)
                {
                    tracing.AddConsoleExporter();
                }
            },
            metrics =>
            {
                if (settings.OtlpEndpoint is not null)
                {
                    metrics.AddOtlpExporter();
                }

                if (settings.AzureMonitorConnectionString is { } connection)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = connection, azureMonitorCredential);
                }

                if (settings.Console)
                {
                    metrics.AddConsoleExporter();
                }
            },
            logging =>
            {
                // Console logs already go to stdout; the other exporters also carry the log lines, joined to their spans.
                if (settings.OtlpEndpoint is not null)
                {
                    logging.AddOtlpExporter();
                }

                if (settings.AzureMonitorConnectionString is { } connection)
                {
                    logging.AddAzureMonitorLogExporter(o => o.ConnectionString = connection, azureMonitorCredential);
                }
            });
    }

    /// <summary>
    /// Registers R2Meta's sources and meters with the given exporters (tests pass in-memory ones). The request span is
    /// opened by the S3 pipeline, so ASP.NET Core's request activity is not traced (it would be a second server span);
    /// its metrics (<c>http.server.request.duration</c> and others) are exported as they are.
    /// </summary>
    public static IServiceCollection AddR2MetaTelemetry(
        this IServiceCollection services,
        Action<TracerProviderBuilder> tracing,
        Action<MeterProviderBuilder> metrics,
        Action<LoggerProviderBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        ArgumentNullException.ThrowIfNull(metrics);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(t =>
            {
                t.AddSource(R2MetaTelemetry.Name, AzureSdkSources);
                tracing(t);
            })
            .WithMetrics(m =>
            {
                m.AddMeter(R2MetaTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
                metrics(m);
            });
        if (logging is not null)
        {
            builder.WithLogging(logging);
        }

        return services;
    }
}
