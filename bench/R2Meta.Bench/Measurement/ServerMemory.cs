using System.Globalization;

namespace R2Meta.Bench.Measurement;

/// <summary>
/// Peak working set of the server process from /proc/&lt;pid&gt;/status (VmHWM, the peak resident set).
/// <see cref="ResetPeak"/> writes "5" to /proc/&lt;pid&gt;/clear_refs, which restarts VmHWM from the current
/// resident set, so one workload's peak can be told apart from an earlier one's (Linux only; same user).
/// </summary>
public sealed class ServerMemory(int? pid)
{
    public bool Known => pid is not null && File.Exists(StatusPath);

    private string StatusPath => $"/proc/{pid}/status";

    public bool ResetPeak()
    {
        if (!Known)
        {
            return false;
        }

        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>VmHWM in MiB, or null when the process is unknown or gone.</summary>
    public double? PeakMiB() => Read("VmHWM:");

    /// <summary>VmRSS in MiB, or null when the process is unknown or gone.</summary>
    public double? CurrentMiB() => Read("VmRSS:");

    private double? Read(string field)
    {
        if (!Known)
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines(StatusPath))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kib = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kib / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
