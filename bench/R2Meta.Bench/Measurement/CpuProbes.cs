using System.Diagnostics;
using System.Globalization;

namespace R2Meta.Bench.Measurement;

/// <summary>
/// CPU time consumed by the bench itself, the server and the store emulator (when their pids are known),
/// read from /proc/&lt;pid&gt;/stat around each phase. On a small machine where all three share the
/// cores, CPU milliseconds per operation say where the time goes better than latency does.
/// </summary>
public sealed class CpuProbes(int? serverPid, int? storePid)
{
    /// <summary>USER_HZ: the unit of utime/stime in /proc/&lt;pid&gt;/stat (100 on Linux unless rebuilt).</summary>
    private const double TicksPerSecond = 100;

    public static CpuProbes None { get; } = new(null, null);

    public CpuSnapshot Take() => new(
        Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds,
        Read(serverPid),
        Read(storePid));

    private static double? Read(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        try
        {
            // "pid (comm) state ppid ..."; comm may hold spaces, so count fields after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks * 1000 / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>Cumulative CPU milliseconds of the bench, the server and the store at one instant.</summary>
public readonly record struct CpuSnapshot(double ClientMs, double? ServerMs, double? StoreMs)
{
    /// <summary>Stamps a result with CPU milliseconds per operation since <paramref name="before"/>.</summary>
    public WorkloadResult PerOp(CpuSnapshot before, WorkloadResult result)
    {
        var ops = Math.Max(result.Ops + result.Errors, 1);
        return result with
        {
            ClientCpuMsPerOp = (ClientMs - before.ClientMs) / ops,
            ServerCpuMsPerOp = ServerMs - before.ServerMs is { } s ? s / ops : null,
            StoreCpuMsPerOp = StoreMs - before.StoreMs is { } t ? t / ops : null,
        };
    }
}
