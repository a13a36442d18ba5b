using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace R2Meta.Domain.Diagnostics;

/// <summary>
/// The one <see cref="ActivitySource"/> and the one <see cref="System.Diagnostics.Metrics.Meter"/> of R2Meta, both named
/// <see cref="Name"/>, with every instrument. Only System.Diagnostics here: which exporter (if any) listens is decided
/// in Hosting. Without a listener <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and the
/// instruments drop their measurements, so telemetry that is off costs a few branches per request.
/// Names follow docs (TELEMETRY-NAMES): semantic-convention names where one exists, <c>r2meta.*</c> for ours.
/// </summary>
public static class R2MetaTelemetry
{
    public const string Name = "R2Meta";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        Instruments.RequestDuration, unit: "s", description: "Duration of S3 requests.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60] });

    public static readonly UpDownCounter<long> ActiveRequests = Meter.CreateUpDownCounter<long>(
        Instruments.ActiveRequests, unit: "{request}", description: "S3 requests being served.");

    public static readonly Counter<long> RequestBodySize = Meter.CreateCounter<long>(
        Instruments.RequestBodySize, unit: "By", description: "Bytes of S3 request bodies (Content-Length as sent).");

    public static readonly Counter<long> ResponseBodySize = Meter.CreateCounter<long>(
        Instruments.ResponseBodySize, unit: "By", description: "Bytes of S3 response bodies (declared Content-Length; HEAD sends none).");

    public static readonly Histogram<int> StoreRoundTrips = Meter.CreateHistogram<int>(
        Instruments.StoreRoundTrips, unit: "{call}", description: "Store round trips (metadata and blob HTTP calls) of one S3 request.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 50, 100] });

    public static readonly Histogram<double> StoreCallDuration = Meter.CreateHistogram<double>(
        Instruments.StoreCallDuration, unit: "s", description: "Duration of one store call (one HTTP round trip; Cosmos: one operation with its SDK retries).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    public static readonly Histogram<double> CosmosRequestCharge = Meter.CreateHistogram<double>(
        Instruments.CosmosRequestCharge, unit: "{RU}", description: "Cosmos DB request units charged to one S3 request.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 1, 2, 5, 10, 15, 20, 30, 50, 100, 200, 500, 1000] });

    public static readonly Counter<long> MaintenanceJobRuns = Meter.CreateCounter<long>(
        Instruments.MaintenanceJobRuns, unit: "{run}", description: "Maintenance job runs by result.");

    /// <summary>True when an exporter listens to spans or to the per-request metrics.</summary>
    public static bool RequestsObserved => Source.HasListeners() || RequestDuration.Enabled || StoreRoundTrips.Enabled || CosmosRequestCharge.Enabled;

    /// <summary>Records one store call's duration; called by each backend's seam (Azure.Core policy, Cosmos request handler).</summary>
    public static void RecordStoreCall(string backend, string call, TimeSpan elapsed)
    {
        if (StoreCallDuration.Enabled)
        {
            StoreCallDuration.Record(elapsed.TotalSeconds, new(Tags.StoreBackend, backend), new(Tags.StoreCall, call));
        }
    }

    /// <summary>Instrument names.</summary>
    public static class Instruments
    {
        public const string RequestDuration = "r2meta.s3.request.duration";
        public const string ActiveRequests = "r2meta.s3.active_requests";
        public const string RequestBodySize = "r2meta.s3.request.body.size";
        public const string ResponseBodySize = "r2meta.s3.response.body.size";
        public const string StoreRoundTrips = "r2meta.store.round_trips";
        public const string StoreCallDuration = "r2meta.store.call.duration";
        public const string CosmosRequestCharge = "r2meta.cosmos.request_charge";
        public const string MaintenanceJobRuns = "r2meta.maintenance.job.runs";
    }

    /// <summary>Span and metric tag names.</summary>
    public static class Tags
    {
        public const string Operation = "r2meta.s3.operation";
        public const string Bucket = "aws.s3.bucket";
        public const string Method = "http.request.method";
        public const string StatusCode = "http.response.status_code";
        public const string StatusClass = "http.response.status_class";
        public const string ErrorCode = "r2meta.s3.error_code";
        public const string RequestId = "aws.request_id";
        public const string RequestBodySize = "r2meta.request.body.size";
        public const string ResponseBodySize = "r2meta.response.body.size";
        public const string StoreRoundTrips = "r2meta.store.round_trips";
        public const string CosmosRequestCharge = "r2meta.cosmos.request_charge";
        public const string StoreBackend = "r2meta.store.backend";
        public const string StoreCall = "r2meta.store.call";
        public const string MaintenanceJob = "r2meta.maintenance.job";
        public const string MaintenanceResult = "r2meta.maintenance.result";
    }

    /// <summary>Values of <see cref="Tags.StoreBackend"/>.</summary>
    public static class Backends
    {
        public const string Tables = "tables";
        public const string Cosmos = "cosmos";
        public const string Blobs = "blobs";
    }
}
