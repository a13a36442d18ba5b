using System.Net;
using System.Net.Sockets;
using System.Text;

namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>Writes HTTP by hand on a socket, for bodies that lie about their length or stop midway.</summary>
public static class RawSocket
{
    /// <summary>
    /// Sends a signed (UNSIGNED-PAYLOAD) PUT declaring <paramref name="declaredLength"/> bytes but
    /// sending <paramref name="body"/>. With <paramref name="abort"/> the connection is reset right
    /// after; otherwise the send side is closed and the status line the server answers is returned.
    /// </summary>
    public static async Task<int?> PutAsync(R2MetaHost host, string path, long declaredLength, byte[] body, bool abort, IReadOnlyDictionary<string, string>? headers = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Put, new Uri(host.Endpoint, path));
        RawRequests.Sign(message, TestAccounts.FirstKey, TestAccounts.FirstSecret, DateTimeOffset.UtcNow);
        var head = new StringBuilder();
        head.Append("PUT ").Append(message.RequestUri!.PathAndQuery).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(message.RequestUri.Authority).Append("\r\n");
        foreach (var (name, values) in message.Headers)
        {
            head.Append(name).Append(": ").Append(string.Join(",", values)).Append("\r\n");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(declaredLength).Append("\r\n\r\n");

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Port));
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await socket.SendAsync(body);
        if (abort)
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
            return null;
        }

        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        var statusLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        var parts = statusLine.Split(' ');
        return parts.Length > 1 && int.TryParse(parts[1], out var status) ? status : null;
    }
}
