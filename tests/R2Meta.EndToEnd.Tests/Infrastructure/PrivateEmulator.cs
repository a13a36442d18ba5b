using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An emulator process of a test's own (the ones script/test starts are shared), on free loopback ports,
/// for tests that take a store down. Killed, with its children, on dispose.
/// </summary>
public sealed class PrivateEmulator : IDisposable
{
    private const string AzuriteAccount = "devstoreaccount1";
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private PrivateEmulator(Process process, IReadOnlyList<int> ports)
    {
        _process = process;
        Ports = ports;
    }

    public IReadOnlyList<int> Ports { get; }

    /// <summary>cosmosdb-server (the patched copy in tools/emulators), in memory.</summary>
    public static Task<PrivateEmulator> StartCosmosAsync()
    {
        var port = FreePorts(1)[0];
        return StartAsync(["node_modules/@vercel/cosmosdb-server/lib/cli.js", "--host", "127.0.0.1", "-p", Port(port)], [port]);
    }

    /// <summary>Azurite blob and table (and queue, which it always starts), in memory.</summary>
    public static Task<PrivateEmulator> StartAzuriteAsync()
    {
        var ports = FreePorts(3);
        return StartAsync(
            [
                "node_modules/azurite/dist/src/azurite.js", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry", "--inMemoryPersistence",
                "--blobHost", "127.0.0.1", "--blobPort", Port(ports[0]), "--queueHost", "127.0.0.1", "--queuePort", Port(ports[1]),
                "--tableHost", "127.0.0.1", "--tablePort", Port(ports[2]),
            ],
            ports);
    }

    public string CosmosEndpoint => $"https://127.0.0.1:{Ports[0]}/";

    public string StorageConnection =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={AzuriteKey};" +
        $"BlobEndpoint=http://127.0.0.1:{Ports[0]}/{AzuriteAccount};QueueEndpoint=http://127.0.0.1:{Ports[1]}/{AzuriteAccount};" +
        $"TableEndpoint=http://127.0.0.1:{Ports[2]}/{AzuriteAccount};";

    /// <summary>Kills the emulator: its ports refuse connections from then on.</summary>
    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private static async Task<PrivateEmulator> StartAsync(IReadOnlyList<string> arguments, IReadOnlyList<int> ports)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot(), "tools", "emulators"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        // Drain the output so a chatty emulator never blocks on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var emulator = new PrivateEmulator(process, ports);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            foreach (var port in ports)
            {
                while (!await AcceptsAsync(port))
                {
                    Assert.False(process.HasExited, $"emulator {arguments[0]} exited with {(process.HasExited ? process.ExitCode : 0)}");
                    Assert.True(DateTime.UtcNow < deadline, $"emulator {arguments[0]} did not listen on {port} within 60 s");
                    await Task.Delay(200);
                }
            }

            return emulator;
        }
        catch
        {
            emulator.Dispose();
            throw;
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "R2Meta.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("R2Meta.Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
