using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace R2Meta.Bench.Targets;

/// <summary>
/// The S3 endpoint under test (R2Meta or any other S3 server), path-style, through AWSSDK.S3. Responses
/// pass a handler that reads <c>x-r2meta-store-round-trips</c>, so a listing page can report what it cost
/// the metadata store without a second, hand-signed request.
/// </summary>
public sealed class S3Endpoint : IObjectTarget, IDisposable
{
    public const string RoundTripsHeader = "x-r2meta-store-round-trips";

    private static readonly AsyncLocal<RoundTripBox?> Capture = new();

    /// <summary>The target name of the floor server (bench/R2Meta.Floor) when <c>--floor-endpoint</c> names one.</summary>
    public const string FloorName = "floor";

    private S3Endpoint(AmazonS3Client client, string bucket, string name)
    {
        Client = client;
        Bucket = bucket;
        Name = name;
    }

    public string Name { get; }

    public AmazonS3Client Client { get; }

    public string Bucket { get; }

    public static S3Endpoint Create(BenchOptions options, string? endpoint = null, string name = "r2meta") =>
        new(new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), new AmazonS3Config
        {
            ServiceURL = endpoint ?? options.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            // One 1 GiB PUT on a slow endpoint must not hit the SDK's 100 s default.
            Timeout = TimeSpan.FromHours(1),
            MaxErrorRetry = 0,
            HttpClientFactory = new CapturingHttpClientFactory(),
        }), options.Bucket, name);

    public async Task EnsureBucketAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await Client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou")
        {
        }
    }

    public async Task PutAsync(string key, byte[] payload, CancellationToken cancellationToken = default)
    {
        using var body = new MemoryStream(payload, writable: false);
        await Client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = body, AutoCloseStream = false }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        using var response = await Client.GetObjectAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
        return await Drain.CountAsync(response.ResponseStream, cancellationToken).ConfigureAwait(false);
    }

    public async Task HeadAsync(string key, CancellationToken cancellationToken = default) =>
        await Client.GetObjectMetadataAsync(Bucket, key, cancellationToken).ConfigureAwait(false);

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        await Client.DeleteObjectAsync(Bucket, key, cancellationToken).ConfigureAwait(false);

    /// <summary>One ListObjectsV2 page and the store round trips the server reported for it (null if it did not).</summary>
    public async Task<(ListObjectsV2Response Page, int? RoundTrips)> ListAsync(ListObjectsV2Request request, CancellationToken cancellationToken = default)
    {
        var box = new RoundTripBox();
        Capture.Value = box;
        try
        {
            var page = await Client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            return (page, box.Value);
        }
        finally
        {
            Capture.Value = null;
        }
    }

    public void Dispose() => Client.Dispose();

    private sealed class RoundTripBox
    {
        public int? Value { get; set; }
    }

    private sealed class CapturingHttpClientFactory : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var sockets = new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.None,
                MaxConnectionsPerServer = int.MaxValue,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
                UseCookies = false,
            };
            return new HttpClient(new RoundTripHandler(sockets)) { Timeout = Timeout.InfiniteTimeSpan };
        }
    }

    private sealed class RoundTripHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (Capture.Value is { } box && response.Headers.TryGetValues(RoundTripsHeader, out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var trips))
            {
                box.Value = trips;
            }

            return response;
        }
    }
}
