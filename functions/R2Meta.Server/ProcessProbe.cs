using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Diagnostics;

namespace R2Meta.Server;

/// <summary>
/// <c>GET /_r2meta/process</c>: the server process's cumulative allocated bytes, CPU time, metadata store requests (<see cref="StoreRoundTrips.Total"/>) and GC counts, for
/// the bench to turn into bytes and CPU per operation (an outside process cannot read the managed heap's
/// allocation counter). Served only when <c>R2META_PROCESS_PROBE=true</c> (script/bench sets it), on the
/// Kestrel host only, before the S3 pipeline; "_" cannot start a bucket name, so no S3 path collides.
/// </summary>
public static class ProcessProbe
{
    public const string Path = "/_r2meta/process";
    public const string SettingName = "R2META_PROCESS_PROBE";

    public static bool Matches(HttpRequest request) => request.Path.Value == Path && HttpMethods.IsGet(request.Method);

    public static Task ServeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        // precise: true settles the allocation contexts of all threads, so two readings bracket a phase exactly.
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $$"""{"allocatedBytes":{{allocated}},"cpuMs":{{cpu:F1}},"storeRequests":{{StoreRoundTrips.Total}},"gen0":{{GC.CollectionCount(0)}},"gen1":{{GC.CollectionCount(1)}},"gen2":{{GC.CollectionCount(2)}}}"""));
    }
}
