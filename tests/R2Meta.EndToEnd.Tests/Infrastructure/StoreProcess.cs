using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A store emulator process of a test's own (an Azurite service or cosmosdb-server) on a fixed loopback
/// port, so the test can stop it (connection refused), freeze it (a hung store) and start it again on the
/// same port without disturbing the emulators every other test shares.
/// </summary>
public sealed class StoreProcess : IAsyncDisposable
{
    private static readonly string Emulators = Path.Combine(RepositoryRoot(), "tools", "emulators");
    private static readonly string EmulatorModules = Path.Combine(Emulators, "node_modules");

    private readonly string _name;
    private readonly Func<int, string[]> _arguments;
    private Process? _process;
    private bool _frozen;

    private StoreProcess(string name, Func<int, string[]> arguments)
    {
        _name = name;
        _arguments = arguments;
        Port = FreePort();
    }

    public int Port { get; }

    /// <summary>Azurite's blob or table service alone, its data in <paramref name="location"/> so a restart keeps it.</summary>
    public static StoreProcess Azurite(string service, string location) => new("azurite-" + service, port =>
    [
        Path.Combine(EmulatorModules, "azurite", "dist", "src", service, "main.js"),
        "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry", "--location", location,
        $"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ]);

    /// <summary>cosmosdb-server: in memory only, so a restart starts an empty account.</summary>
    public static StoreProcess Cosmos() => new("cosmosdb-server", port =>
    [
        Path.Combine(Emulators, "cosmos-server.js"),
        "--host", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ]);

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in _arguments(Port))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{_name} did not start.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await AcceptsAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{_name} did not listen on 127.0.0.1:{Port}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops the process (SIGINT: Azurite then saves its data and closes); its port then refuses connections.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        Thaw();
        Signal("INT");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>SIGSTOP: connections are still accepted by the kernel, but nothing answers.</summary>
    public void Freeze()
    {
        Signal("STOP");
        _frozen = true;
    }

    public void Thaw()
    {
        if (_frozen)
        {
            Signal("CONT");
            _frozen = false;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private async Task<bool> AcceptsAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "R2Meta.Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (R2Meta.Functions.sln) was not found above the test binaries.");
    }
}
