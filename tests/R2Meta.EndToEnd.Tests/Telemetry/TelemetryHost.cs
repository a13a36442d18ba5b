using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Hosting.Telemetry;

namespace R2Meta.EndToEnd.Tests.Telemetry;

/// <summary>
/// A host wired with OpenTelemetry's in-memory exporters (through the same Hosting call the configured exporters use)
/// and a log capture at Debug. Spans are exported when they end; metrics when <see cref="FlushMetrics"/> asks.
/// </summary>
public abstract class TelemetryHost(Backend backend) : R2MetaHost(backend)
{
    public Locked<Activity> Spans { get; } = new();

    public Locked<MetricSnapshot> Metrics { get; } = new();

    public Locked<(LogLevel Level, string Category, string Message)> Logs { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddR2MetaTelemetry(t => t.AddInMemoryExporter(Spans), m => m.AddInMemoryExporter(Metrics));
        services.AddLogging(logging => logging
            .AddProvider(new CaptureLoggerProvider(Logs))
            .AddFilter<CaptureLoggerProvider>(null, LogLevel.Debug));
    }

    /// <summary>Exports the metrics' current (cumulative) state, replacing what was exported before.</summary>
    public IReadOnlyList<MetricSnapshot> FlushMetrics()
    {
        Metrics.Clear();
        Assert.True(Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        return Metrics.Snapshot();
    }

    /// <summary>Waits for spans: the request span ends after the client already has its response.</summary>
    public async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            if (Spans.Snapshot().FirstOrDefault(match) is { } span)
            {
                return span;
            }

            await Task.Delay(50);
        }

        var seen = string.Join(", ", Spans.Snapshot().Select(s => $"{s.Source.Name}/{s.DisplayName}"));
        throw new Xunit.Sdk.XunitException($"No such span was exported; seen: {seen}");
    }

    /// <summary>A collection the exporters (on request threads) and the test (reading) may use at once.</summary>
    public sealed class Locked<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public T[] Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Snapshot()).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class CaptureLoggerProvider(Locked<(LogLevel, string, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CaptureLogger(categoryName, logs);

        public void Dispose()
        {
        }

        private sealed class CaptureLogger(string category, Locked<(LogLevel, string, string)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Add((logLevel, category, formatter(state, exception)));
        }
    }
}

public sealed class TablesTelemetryHost() : TelemetryHost(Backend.Tables);

public sealed class CosmosTelemetryHost() : TelemetryHost(Backend.Cosmos);
