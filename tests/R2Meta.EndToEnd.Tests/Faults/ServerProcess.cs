using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>
/// R2Meta.Server as a child process (<c>dotnet R2Meta.Server.dll</c>) on a fixed loopback port, so a
/// test can SIGKILL it and start it again against the same stores.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Queue<string> _tail = new();
    private Process? _process;

    public ServerProcess(IReadOnlyDictionary<string, string?> settings)
    {
        Port = FreePort();
        _settings = new Dictionary<string, string?>(settings) { ["R2META_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>The last lines the server wrote, for a failing test's message.</summary>
    public string Tail
    {
        get { lock (_tail) { return string.Join('\n', _tail); } }
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ServerDll());
        foreach (var (name, value) in _settings)
        {
            start.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await AcceptsAsync())
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new InvalidOperationException($"the server did not start listening on {Port}:\n{Tail}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, in-flight requests die where they are.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server's build output: copied beside the tests by the project reference, else the server project's own bin.</summary>
    private static string ServerDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "R2Meta.Server.dll");
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "R2Meta.Server.runtimeconfig.json")))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "functions", "R2Meta.Server", "bin", "Release", "net10.0", "R2Meta.Server.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("R2Meta.Server.dll with its runtimeconfig was not found; build the solution first");
    }
}
