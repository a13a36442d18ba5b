using System.Diagnostics;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Diagnostics;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// Sums the request units of every response the client receives (point operations, query pages,
/// failures included) and counts them, so the cost per operation can be measured from the outside.
/// It is also the Cosmos backend's telemetry seam: each response is one store round trip of the current
/// S3 request (<see cref="RequestCost"/>, with its request units) and one <c>r2meta.store.call.duration</c>
/// measurement. A custom handler sits above the SDK's retry handler, so a call's duration includes its retries.
/// </summary>
internal sealed class RequestChargeMeter : RequestHandler
{
    private double _total;
    private double _last;
    private long _count;

    public double Total => Volatile.Read(ref _total);

    public double Last => Volatile.Read(ref _last);

    public long Count => Interlocked.Read(ref _count);

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        StoreRoundTrips.Add();
        var started = Stopwatch.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        R2MetaTelemetry.RecordStoreCall(R2MetaTelemetry.Backends.Cosmos, CallName(request), Stopwatch.GetElapsedTime(started));
        Interlocked.Increment(ref _count);
        var charge = response.Headers.RequestCharge;
        RequestCost.AddRoundTrip(charge);
        Volatile.Write(ref _last, charge);
        double seen, sum;
        do
        {
            seen = Volatile.Read(ref _total);
            sum = seen + charge;
        }
        while (Interlocked.CompareExchange(ref _total, sum, seen) != seen);

        return response;
    }

    /// <summary>
    /// The kind of call, from what the request shows publicly (the SDK keeps its operation type internal):
    /// read, create, upsert, replace, delete, patch, query, batch, or the method and resource for the rest
    /// (database and container set-up).
    /// </summary>
    internal static string CallName(RequestMessage request)
    {
        var headers = request.Headers;
        var path = request.RequestUri?.OriginalString ?? string.Empty;
        var onDocuments = path.Contains("/docs", StringComparison.Ordinal);
        var method = request.Method.Method;
        return method switch
        {
            "POST" when headers["x-ms-documentdb-isquery"] is not null || headers["x-ms-cosmos-is-query-plan-request"] is not null => "query",
            "POST" when headers["x-ms-cosmos-is-batch-request"] is not null => "batch",
            "POST" when onDocuments && headers["x-ms-documentdb-is-upsert"] is not null => "upsert",
            "POST" when onDocuments => "create",
            "GET" when onDocuments && !path.EndsWith("/docs", StringComparison.Ordinal) => "read",
            "GET" when onDocuments => "read-feed",
            "PUT" when onDocuments => "replace",
            "PATCH" => "patch",
            "DELETE" when onDocuments => "delete",
            _ => method.ToLowerInvariant() + " " + LastResourceType(path),
        };
    }

    private static string LastResourceType(string path)
    {
        // "dbs/r2meta/colls/objects" -> "colls"; "dbs" -> "dbs"; "" -> "account".
        var segments = path.Trim('/').Split('/');
        return segments[0].Length == 0 ? "account" : segments[(segments.Length - 1) & ~1];
    }
}
