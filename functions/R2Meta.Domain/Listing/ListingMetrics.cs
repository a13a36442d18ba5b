using System.Diagnostics.Metrics;
using R2Meta.Domain.Diagnostics;

namespace R2Meta.Domain.Listing;

/// <summary>
/// The cost of listings. Every list request records its store round trips (ReadRangeAsync calls) in
/// the histogram <c>r2meta.list.store_round_trips</c> of the meter <c>R2Meta</c> (<see cref="R2MetaTelemetry"/>), tagged
/// <c>operation</c> (ListObjects, ListObjectsV2, ListObjectVersions); the same number is returned
/// in the response header <c>x-r2meta-store-round-trips</c>, which is what tests and the benchmark read.
/// </summary>
public static class ListingMetrics
{
    public const string MeterName = R2MetaTelemetry.Name;
    public const string RoundTripsInstrument = "r2meta.list.store_round_trips";
    public const string RoundTripsHeader = "x-r2meta-store-round-trips";

    private static readonly Histogram<int> RoundTrips = R2MetaTelemetry.Meter.CreateHistogram<int>(
        RoundTripsInstrument, unit: "{round_trip}", description: "Metadata store round trips of one list request.");

    public static void Record(string operation, int roundTrips) =>
        RoundTrips.Record(roundTrips, new KeyValuePair<string, object?>("operation", operation));
}
