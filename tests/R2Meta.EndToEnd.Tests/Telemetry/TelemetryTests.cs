using System.Diagnostics;
using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using R2Meta.Domain.Diagnostics;
using R2Meta.EndToEnd.Tests.Infrastructure;
using Tags = R2Meta.Domain.Diagnostics.R2MetaTelemetry.Tags;

namespace R2Meta.EndToEnd.Tests.Telemetry;

/// <summary>Alone: spans and metrics are process-wide, and other classes' requests would show in them.</summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>
/// What an exporter receives for S3 requests (names in <see cref="R2MetaTelemetry"/>): the request span with its tags,
/// the store clients' spans below it, the request and store metrics, and the log level of error answers.
/// </summary>
public abstract class TelemetryTests : OneBucketTests<TelemetryHost>
{
    protected TelemetryTests(TelemetryHost host)
        : base(host, "otel")
    {
    }

    /// <summary>Source of the metadata store client's spans.</summary>
    protected abstract string MetadataSpanSource { get; }

    protected abstract string MetadataBackend { get; }

    [Fact]
    public async Task PutObject_ExportsRequestSpanWithStoreChildSpansAndMetrics()
    {
        var body = Encoding.UTF8.GetBytes("hello telemetry");
        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", InputStream = new MemoryStream(body) });

        var span = await Host.SpanAsync(s => s.DisplayName == "PutObject" && Equals(s.GetTagItem(Tags.Bucket), Bucket));
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal(R2MetaTelemetry.Name, span.Source.Name);
        Assert.Equal("PutObject", span.GetTagItem(Tags.Operation));
        Assert.Equal("PUT", span.GetTagItem(Tags.Method));
        Assert.Equal(200, span.GetTagItem(Tags.StatusCode));
        Assert.Equal(put.ResponseMetadata.RequestId, span.GetTagItem(Tags.RequestId));
        Assert.Null(span.GetTagItem(Tags.ErrorCode));
        Assert.True((long)span.GetTagItem(Tags.RequestBodySize)! >= body.Length);
        Assert.True((int)span.GetTagItem(Tags.StoreRoundTrips)! >= 2, "a put writes a blob and commits metadata");
        Assert.Equal(ActivityStatusCode.Unset, span.Status);

        var children = Host.Spans.Snapshot().Where(s => s.TraceId == span.TraceId && s.ParentSpanId == span.SpanId).ToList();
        Assert.Contains(children, c => c.Source.Name.StartsWith(MetadataSpanSource, StringComparison.Ordinal));
        Assert.Contains(children, c => c.Source.Name.StartsWith("Azure.Storage.Blobs", StringComparison.Ordinal));

        var metrics = Host.FlushMetrics();
        var duration = Point(metrics, R2MetaTelemetry.Instruments.RequestDuration, (Tags.Operation, "PutObject"), (Tags.StatusClass, "2xx"));
        Assert.True(duration.GetHistogramCount() >= 1);
        Assert.True(Point(metrics, R2MetaTelemetry.Instruments.StoreRoundTrips, (Tags.Operation, "PutObject")).GetHistogramSum() >= 2);
        Assert.True(Point(metrics, R2MetaTelemetry.Instruments.RequestBodySize, (Tags.Operation, "PutObject")).GetSumLong() >= body.Length);
        Assert.True(Point(metrics, R2MetaTelemetry.Instruments.StoreCallDuration, (Tags.StoreBackend, MetadataBackend)).GetHistogramCount() >= 1);
        Assert.True(Point(metrics, R2MetaTelemetry.Instruments.StoreCallDuration, (Tags.StoreBackend, R2MetaTelemetry.Backends.Blobs)).GetHistogramCount() >= 1);
        Assert.Equal(0, Point(metrics, R2MetaTelemetry.Instruments.ActiveRequests).GetSumLong());
        if (MetadataBackend == R2MetaTelemetry.Backends.Cosmos)
        {
            Assert.True(Point(metrics, R2MetaTelemetry.Instruments.CosmosRequestCharge, (Tags.Operation, "PutObject")).GetHistogramSum() > 0);
        }
    }

    [Fact]
    public async Task GetObject_MissingKey_ExportsA404SpanWithTheErrorCodeAndA4xxDuration()
    {
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(Bucket, "missing"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var span = await Host.SpanAsync(s => s.DisplayName == "GetObject" && Equals(s.GetTagItem(Tags.Bucket), Bucket));
        Assert.Equal(404, span.GetTagItem(Tags.StatusCode));
        Assert.Equal("NoSuchKey", span.GetTagItem(Tags.ErrorCode));
        Assert.Equal(missing.RequestId, span.GetTagItem(Tags.RequestId));
        Assert.Equal(ActivityStatusCode.Unset, span.Status); // a 4xx is the client's, not the server's, failure
        Assert.Contains(Host.Spans.Snapshot(), s => s.ParentSpanId == span.SpanId && s.Source.Name.StartsWith(MetadataSpanSource, StringComparison.Ordinal));

        var metrics = Host.FlushMetrics();
        var duration = Point(metrics, R2MetaTelemetry.Instruments.RequestDuration, (Tags.Operation, "GetObject"), (Tags.StatusClass, "4xx"), (Tags.ErrorCode, "NoSuchKey"));
        Assert.True(duration.GetHistogramCount() >= 1);
    }

    [Fact]
    public async Task ErrorAnswers_4xxLoggedAtDebug_5xxAtError_WithTheRequestId()
    {
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(Bucket, "missing-for-log"));
        var notImplemented = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}?policy");
        Assert.Equal(HttpStatusCode.NotImplemented, notImplemented.StatusCode);
        var serverRequestId = notImplemented.Headers.GetValues("x-amz-request-id").Single();

        var logs = Host.Logs.Snapshot();
        Assert.Contains(logs, l => l.Level == LogLevel.Debug && l.Message.Contains(missing.RequestId, StringComparison.Ordinal) && l.Message.Contains("404 NoSuchKey", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Level > LogLevel.Debug && l.Message.Contains(missing.RequestId, StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Level == LogLevel.Error && l.Message.Contains(serverRequestId, StringComparison.Ordinal) && l.Message.Contains("501 NotImplemented", StringComparison.Ordinal));
    }

    private static MetricPoint Point(IReadOnlyList<MetricSnapshot> metrics, string instrument, params (string Key, string Value)[] tags)
    {
        var metric = metrics.SingleOrDefault(m => m.Name == instrument) ?? throw new Xunit.Sdk.XunitException($"{instrument} was not exported.");
        foreach (var point in metric.MetricPoints)
        {
            var pointTags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                pointTags[tag.Key] = tag.Value;
            }

            if (tags.All(t => pointTags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))
            {
                return point;
            }
        }

        throw new Xunit.Sdk.XunitException($"{instrument} has no point tagged {string.Join(", ", tags)}.");
    }
}

[Collection(nameof(TelemetryCollection))]
public sealed class TablesTelemetryTests(TablesTelemetryHost host) : TelemetryTests(host), IClassFixture<TablesTelemetryHost>
{
    protected override string MetadataSpanSource => "Azure.Data.Tables";

    protected override string MetadataBackend => R2MetaTelemetry.Backends.Tables;
}

[Collection(nameof(TelemetryCollection))]
public sealed class CosmosTelemetryTests(CosmosTelemetryHost host) : TelemetryTests(host), IClassFixture<CosmosTelemetryHost>
{
    protected override string MetadataSpanSource => "Azure.Cosmos";

    protected override string MetadataBackend => R2MetaTelemetry.Backends.Cosmos;
}
