using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Hosting;
using R2Meta.S3.Pipeline;

namespace R2Meta.EndToEnd.Tests.Hosting;

/// <summary>
/// The S3 pipeline on a Kestrel left at ASP.NET Core's default limits, like the Functions worker's server
/// (it gets <see cref="R2MetaKestrel.Configure"/>, which leaves the body limit alone): whatever a server's
/// default body limit, the pipeline lifts it per request.
/// </summary>
public sealed class DefaultLimitsServerTests : IAsyncLifetime
{
    private const string ControlPath = "/control/read-body";
    private const long AspNetCoreDefaultBodyLimit = 30_000_000;

    private WebApplication _app = null!;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(R2MetaHost.Settings(Backend.Tables, R2MetaHost.NewSuffix()));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            R2MetaKestrel.Configure(kestrel);
        });
        builder.Services.AddR2Meta(builder.Configuration);
        _app = builder.Build();
        var pipeline = _app.Services.GetRequiredService<S3Pipeline>();
        // The control: an endpoint on the same server that reads a body without lifting anything.
        _app.Run(async http =>
        {
            if (http.Request.Path != ControlPath)
            {
                await pipeline.HandleAsync(http);
                return;
            }

            try
            {
                await http.Request.Body.CopyToAsync(Stream.Null);
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
            {
                http.Response.StatusCode = e.StatusCode;
            }
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _endpoint = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public void Server_KeepsAspNetCoreDefaultBodyLimit()
    {
        var kestrel = _app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(AspNetCoreDefaultBodyLimit, kestrel.Limits.MaxRequestBodySize);
    }

    [Fact]
    public async Task BodyOverDefaultLimit_WithoutTheLift_Is413()
    {
        // By hand: the server answers as soon as it sees the length, and an HttpClient still sending would only see the reset.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _endpoint.Port);
        var head = $"PUT {ControlPath} HTTP/1.1\r\nHost: {_endpoint.Authority}\r\nContent-Length: {AspNetCoreDefaultBodyLimit + 1}\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        await socket.SendAsync(new byte[64 * 1024]);

        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.StartsWith("HTTP/1.1 413 ", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutObject64MiB_ThroughDefaultLimits_SucceedsAndReadsBack()
    {
        const long size = 64L * 1024 * 1024;
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(TestAccounts.FirstKey, TestAccounts.FirstSecret), new AmazonS3Config
        {
            ServiceURL = _endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
        });
        var bucket = Names.Bucket("limits");
        await s3.PutBucketAsync(bucket);

        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "big.bin", InputStream = new PatternStream(size) });
        Assert.Equal(HttpStatusCode.OK, put.HttpStatusCode);

        using var get = await s3.GetObjectAsync(bucket, "big.bin");
        Assert.Equal(size, get.ContentLength);
        Assert.Equal(await Sha256Async(new PatternStream(size)), await Sha256Async(get.ResponseStream));
    }

    private static async Task<byte[]> Sha256Async(Stream stream)
    {
        using var sha = SHA256.Create();
        return await sha.ComputeHashAsync(stream);
    }
}
