using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace R2Meta.Hosting.Telemetry;

/// <summary>
/// Routes the Azure SDKs' EventSource logs (Azure-Core, Azure-Identity, Azure-Storage-Blobs, Azure-Data-Tables, ...)
/// into ILogger, one category per source. Only Warning and above: below that they log every request and response,
/// which would cost more than the request.
/// </summary>
public sealed partial class AzureSdkLogForwarder : IHostedService, IDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<string, ILogger> _bySource = new(StringComparer.Ordinal);
    private AzureEventSourceListener? _listener;

    public AzureSdkLogForwarder(ILoggerFactory loggers) => _loggers = loggers;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener ??= new AzureEventSourceListener(Forward, EventLevel.Warning);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }

    private void Forward(EventWrittenEventArgs e, string message)
    {
        var logger = _bySource.GetOrAdd(e.EventSource.Name, _loggers.CreateLogger);
        SdkEvent(logger, e.Level switch
        {
            EventLevel.Critical => LogLevel.Critical,
            EventLevel.Error => LogLevel.Error,
            EventLevel.Warning => LogLevel.Warning,
            EventLevel.Informational => LogLevel.Information,
            _ => LogLevel.Debug,
        }, e.EventName, message);
    }

    [LoggerMessage(EventId = 60, Message = "{EventName}: {Message}")]
    private static partial void SdkEvent(ILogger logger, LogLevel level, string? eventName, string message);
}
