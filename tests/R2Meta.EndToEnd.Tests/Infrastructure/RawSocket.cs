using System.Net.Sockets;
using System.Net;
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
        using var socket = await ConnectAsync(host);
        await socket.SendAsync(Encoding.ASCII.GetBytes(SignedPutHead(host, path, declaredLength, headers)));
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

    /// <summary>
    /// Sends a signed PUT head with <c>Expect: 100-continue</c> and then holds the body back, as a
    /// client does once the server answers with a final status instead of 100. Returns the response head.
    /// </summary>
    public static async Task<string> PutWithheldBodyAsync(R2MetaHost host, string path, long declaredLength, IReadOnlyDictionary<string, string> headers)
    {
        using var socket = await ConnectAsync(host);
        var withExpect = new Dictionary<string, string>(headers) { ["Expect"] = "100-continue" };
        await socket.SendAsync(Encoding.ASCII.GetBytes(SignedPutHead(host, path, declaredLength, withExpect)));

        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int end, read;
        while ((end = text.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0
            && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return end < 0 ? text.ToString() : text.ToString()[..end];
    }

    /// <summary>
    /// Sends a GET signed for <paramref name="signedPath"/> with <paramref name="target"/> as the request
    /// line's target (e.g. absolute-form <c>http://host/b/k</c>). Returns the whole answer, head and body.
    /// </summary>
    public static async Task<string> GetWithTargetAsync(R2MetaHost host, string signedPath, string target)
    {
        using var socket = await ConnectAsync(host);
        var message = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Endpoint, signedPath));
        RawRequests.Sign(message, TestAccounts.FirstKey, TestAccounts.FirstSecret, DateTimeOffset.UtcNow);
        var head = new StringBuilder();
        head.Append("GET ").Append(target).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(message.RequestUri!.Authority).Append("\r\n");
        foreach (var (name, values) in message.Headers)
        {
            head.Append(name).Append(": ").Append(string.Join(",", values)).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString()));

        var answer = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return answer.ToString();
    }

    private static async Task<Socket> ConnectAsync(R2MetaHost host)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Port));
        return socket;
    }

    private static string SignedPutHead(R2MetaHost host, string path, long declaredLength, IReadOnlyDictionary<string, string>? headers)
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

        return head.Append("Content-Length: ").Append(declaredLength).Append("\r\n\r\n").ToString();
    }
}
