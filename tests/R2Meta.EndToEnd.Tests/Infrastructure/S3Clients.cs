using System.Net.Sockets;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>AWSSDK.S3 v4 clients with default settings (trailing CRC32 checksums included).</summary>
public static class S3Clients
{
    public static AmazonS3Client PathStyle(R2MetaHost host, string accessKey = TestAccounts.FirstKey, string secret = TestAccounts.FirstSecret) =>
        new(new BasicAWSCredentials(accessKey, secret), new AmazonS3Config
        {
            ServiceURL = host.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
        });

    /// <summary>
    /// Virtual-hosted style: the SDK addresses http://bucket.localhost:port. Such names do not
    /// resolve on these machines, so connections are dialled to loopback whatever the host name.
    /// </summary>
    public static AmazonS3Client VirtualHosted(R2MetaHost host, string accessKey = TestAccounts.FirstKey, string secret = TestAccounts.FirstSecret) =>
        new(new BasicAWSCredentials(accessKey, secret), new AmazonS3Config
        {
            ServiceURL = $"http://localhost:{host.Port}",
            ForcePathStyle = false,
            AuthenticationRegion = "us-east-1",
            HttpClientFactory = new LoopbackHttpClientFactory(),
        });

    private sealed class LoopbackHttpClientFactory : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            return new HttpClient(handler);
        }
    }
}
