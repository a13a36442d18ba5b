using System.Diagnostics;
using System.Globalization;

namespace R2Meta.Floor;

/// <summary>
/// The same <c>GET /_r2meta/process</c> as R2Meta's Kestrel host (functions/R2Meta.Server/ProcessProbe.cs), so the
/// bench reads the floor's allocated bytes and CPU per operation the same way. Its store requests are its table requests.
/// </summary>
internal static class ProcessProbe
{
    public const string Path = "/_r2meta/process";

    public static Task ServeAsync(HttpContext http)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $$"""{"allocatedBytes":{{allocated}},"cpuMs":{{cpu:F1}},"storeRequests":{{TableRows.Requests}},"gen0":{{GC.CollectionCount(0)}},"gen1":{{GC.CollectionCount(1)}},"gen2":{{GC.CollectionCount(2)}}}"""));
    }
}
