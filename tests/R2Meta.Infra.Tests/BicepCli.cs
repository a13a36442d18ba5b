using System.Diagnostics;
using System.Reflection;

namespace R2Meta.Infra.Tests;

/// <summary>Output of one bicep CLI run.</summary>
public sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe() => $"exit code {ExitCode}\nstderr:\n{StandardError}\nstdout:\n{StandardOutput}";
}

/// <summary>
/// The bicep CLI from the Azure.Bicep.CommandLine.linux-x64 NuGet package (restored with this project, its path
/// baked into the assembly by the csproj). Builds and lints local files only, so it needs no network.
/// </summary>
public static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string MainTemplate { get; } = Path.Combine(RepositoryRoot, "infra", "main.bicep");

    public static string ExecutablePath
    {
        get
        {
            var path = Metadata("BicepPath");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"The bicep CLI is not at '{path}': restore tests/R2Meta.Infra.Tests (package Azure.Bicep.CommandLine.linux-x64).", path);
            }

            // NuGet does not promise to keep the execute bit of a package file.
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                if ((mode & UnixFileMode.UserExecute) == 0)
                {
                    File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                }
            }

            return path;
        }
    }

    public static Task<BicepRun> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string>(), arguments);

    /// <summary>Runs bicep with extra environment variables (readEnvironmentVariable in a .bicepparam file).</summary>
    public static async Task<BicepRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(RepositoryRoot, "infra"),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The CLI is a self-contained .NET app: do not depend on ICU being installed.
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepRun(process.ExitCode, await stdout, await stderr);
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata (see R2Meta.Infra.Tests.csproj).");
}
