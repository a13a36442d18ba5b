using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>What came back for one hostile request: a status and body, or nothing (the connection dropped).</summary>
public sealed record FuzzAnswer(int? Status, string Head, string Body, TimeSpan Elapsed);

/// <summary>Sends a <see cref="FuzzCase"/> on its own connection and reads the whole answer.</summary>
public static class FuzzSender
{
    public static async Task<FuzzAnswer> SendAsync(Uri endpoint, FuzzCase fuzz)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var host = $"127.0.0.1:{endpoint.Port}";
        var split = fuzz.Target.IndexOf('?', StringComparison.Ordinal);
        var path = split < 0 ? fuzz.Target : fuzz.Target[..split];
        var query = split < 0 ? string.Empty : fuzz.Target[(split + 1)..];
        var head = new StringBuilder();
        head.Append(fuzz.Method).Append(' ').Append(fuzz.Target).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(host).Append("\r\n");
        if (fuzz.Signed)
        {
            foreach (var (name, value) in RawRequests.SignatureHeaders(fuzz.Method, path, query, host, TestAccounts.FirstKey, TestAccounts.FirstSecret, DateTimeOffset.UtcNow, fuzz.PayloadHash))
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        foreach (var (name, value) in fuzz.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(fuzz.DeclaredLength ?? fuzz.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        head.Append("Connection: close\r\n\r\n");

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, endpoint.Port), timeout.Token);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(head.ToString()), SocketFlags.None, timeout.Token);
            await socket.SendAsync(fuzz.Body, SocketFlags.None, timeout.Token);
            if (fuzz.EndsEarly)
            {
                // The declared length is longer than the body: end the request side, or the server waits for the rest.
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The server answered early and closed (e.g. a body over a cap); read what it said.
        }

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException) when (received.Length > 0)
        {
            // A reset after the answer arrived: the answer stands.
        }
        catch (SocketException)
        {
        }
        catch (OperationCanceledException)
        {
            return new FuzzAnswer(null, "no answer within 150 s: " + Encoding.UTF8.GetString(received.ToArray()), string.Empty, started.Elapsed);
        }

        return Parse(received.ToArray(), started.Elapsed);
    }

    private static FuzzAnswer Parse(byte[] bytes, TimeSpan elapsed)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return new FuzzAnswer(null, Encoding.UTF8.GetString(bytes), string.Empty, elapsed);
        }

        var head = Encoding.ASCII.GetString(bytes, 0, end);
        var body = bytes.AsSpan(end + 4);
        var parts = head.Split("\r\n")[0].Split(' ');
        int? status = parts.Length > 1 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var s) ? s : null;
        var text = head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Dechunk(body) : Encoding.UTF8.GetString(body);
        return new FuzzAnswer(status, head, text, elapsed);
    }

    /// <summary>Chunk sizes count bytes, so the body is taken apart before it is decoded.</summary>
    private static string Dechunk(ReadOnlySpan<byte> body)
    {
        var result = new MemoryStream();
        while (!body.IsEmpty)
        {
            var line = body.IndexOf("\r\n"u8);
            if (line < 0 || !int.TryParse(Encoding.ASCII.GetString(body[..line]).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            var data = body[(line + 2)..];
            result.Write(data[..Math.Min(size, data.Length)]);
            body = data.Length > size + 2 ? data[(size + 2)..] : [];
        }

        return Encoding.UTF8.GetString(result.ToArray());
    }
}
