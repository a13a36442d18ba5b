using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace R2Meta.Hosting.Telemetry;

/// <summary>
/// Which OpenTelemetry exporters run. The OTLP and Application Insights settings keep their standard names, so
/// the OpenTelemetry SDK, the Functions host and App Service read the same values. With none set nothing
/// listens and telemetry costs nothing.
/// </summary>
public sealed record TelemetrySettings
{
    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: OTLP collector; the exporter also reads the other <c>OTEL_*</c> variables (protocol, headers).</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>: export to Azure Monitor (Application Insights).</summary>
    public string? AzureMonitorConnectionString { get; init; }

    /// <summary>
    /// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> = <c>Authorization=AAD</c> (optionally <c>;ClientId=…</c> of a
    /// user-assigned identity): send with the app's Microsoft Entra identity, for resources with local auth off.
    /// </summary>
    public bool AzureMonitorUseIdentity { get; init; }

    /// <summary>Client id of the user-assigned identity named in the authentication string; null: the default identity.</summary>
    public string? AzureMonitorIdentityClientId { get; init; }

    /// <summary><c>R2META_TELEMETRY_CONSOLE</c> = <c>true</c>: print spans and metrics to stdout (local debugging).</summary>
    public bool Console { get; init; }

    /// <summary><c>R2META_TELEMETRY_SAMPLING_RATIO</c>: share of traces kept (0..1, default 1); a sampled parent wins.</summary>
    public double SamplingRatio { get; init; } = 1.0;

    public bool AnyExporter => OtlpEndpoint is not null || AzureMonitorConnectionString is not null || Console;

    public static TelemetrySettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var authentication = Text(configuration, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING") ?? string.Empty;
        var parts = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        return new TelemetrySettings
        {
            OtlpEndpoint = Text(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT") is { } otlp
                ? Uri.TryCreate(otlp, UriKind.Absolute, out var uri) ? uri : throw new InvalidOperationException($"OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute URI, not '{otlp}'.")
                : null,
            AzureMonitorConnectionString = Text(configuration, "APPLICATIONINSIGHTS_CONNECTION_STRING"),
            AzureMonitorUseIdentity = parts.TryGetValue("Authorization", out var kind) && kind.Equals("AAD", StringComparison.OrdinalIgnoreCase),
            AzureMonitorIdentityClientId = parts.GetValueOrDefault("ClientId"),
            Console = Text(configuration, "R2META_TELEMETRY_CONSOLE")?.Equals("true", StringComparison.OrdinalIgnoreCase) == true,
            SamplingRatio = Text(configuration, "R2META_TELEMETRY_SAMPLING_RATIO") is { } ratio
                ? double.TryParse(ratio, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 1
                    ? parsed
                    : throw new InvalidOperationException($"R2META_TELEMETRY_SAMPLING_RATIO must be a number from 0 to 1, not '{ratio}'.")
                : 1.0,
        };
    }

    private static string? Text(IConfiguration configuration, string name) =>
        configuration[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
