using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using R2Meta.Domain.Maintenance;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Functions;
using R2Meta.Hosting;

namespace R2Meta.EndToEnd.Tests.Functions;

/// <summary>
/// The Azure Functions host, built by the same <see cref="R2MetaFunctionsApp.CreateBuilder"/> as Program.cs,
/// with its functions invoked in-process (the worker's activator creates the function classes from its
/// container) on the same real stores as a Kestrel host.
/// </summary>
public sealed class FunctionsTriggerTests(TablesHost host) : IClassFixture<TablesHost>
{
    [Fact]
    public async Task ListBuckets_ThroughTrigger_EqualsKestrelHost()
    {
        using var kestrel = S3Clients.PathStyle(host);
        var bucket = Names.Bucket("fn");
        await kestrel.PutBucketAsync(bucket);

        using var functions = await StartFunctionsHostAsync(host.HostSettings);
        using var viaTrigger = TriggerClient(functions.Services);

        var fromTrigger = await viaTrigger.ListBucketsAsync();
        var fromKestrel = await kestrel.ListBucketsAsync();

        Assert.Equal(fromKestrel.HttpStatusCode, fromTrigger.HttpStatusCode);
        Assert.Equal(fromKestrel.Owner.Id, fromTrigger.Owner.Id);
        Assert.Equal(fromKestrel.Owner.DisplayName, fromTrigger.Owner.DisplayName);
        Assert.Equal(
            fromKestrel.Buckets.Select(b => (b.BucketName, b.CreationDate)),
            fromTrigger.Buckets.Select(b => (b.BucketName, b.CreationDate)));
        Assert.Contains(fromTrigger.Buckets, b => b.BucketName == bucket);
    }

    [Fact]
    public async Task PutGetList_ThroughTrigger_EqualKestrelHost()
    {
        using var kestrel = S3Clients.PathStyle(host);
        using var functions = await StartFunctionsHostAsync(host.HostSettings);
        using var viaTrigger = TriggerClient(functions.Services);
        var bucket = Names.Bucket("fnobj");
        await viaTrigger.PutBucketAsync(bucket);

        var data = RandomNumberGenerator.GetBytes(300_000);
        var putTrigger = await viaTrigger.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "via/trigger.bin", InputStream = new MemoryStream(data), ContentType = "application/x-test",
            Metadata = { ["origin"] = "functions" },
        });
        var putKestrel = await kestrel.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "via/kestrel.bin", InputStream = new MemoryStream(data), ContentType = "application/x-test",
            Metadata = { ["origin"] = "functions" },
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, putTrigger.HttpStatusCode);
        Assert.Equal(putKestrel.ETag, putTrigger.ETag);
        Assert.Equal(putKestrel.ChecksumCRC32, putTrigger.ChecksumCRC32);

        foreach (var key in new[] { "via/trigger.bin", "via/kestrel.bin" })
        {
            var (bodyT, getT) = await GetAsync(viaTrigger, bucket, key);
            var (bodyK, getK) = await GetAsync(kestrel, bucket, key);
            Assert.Equal(data, bodyT);
            Assert.Equal(data, bodyK);
            Assert.Equal(getK.ETag, getT.ETag);
            Assert.Equal(getK.ContentLength, getT.ContentLength);
            Assert.Equal(getK.Headers.ContentType, getT.Headers.ContentType);
            Assert.Equal(getK.LastModified, getT.LastModified);
            Assert.Equal(getK.Metadata["origin"], getT.Metadata["origin"]);
        }

        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = "via/", Delimiter = "/", MaxKeys = 1 };
        var listT = await viaTrigger.ListObjectsV2Async(request);
        var listK = await kestrel.ListObjectsV2Async(request);
        Assert.Equal(Summaries(listK), Summaries(listT));
        Assert.Equal(listK.IsTruncated, listT.IsTruncated);
        Assert.True(listT.IsTruncated);

        // A continuation token from one host continues the listing on the other.
        var nextT = await viaTrigger.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "via/", ContinuationToken = listK.NextContinuationToken });
        var nextK = await kestrel.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "via/", ContinuationToken = listT.NextContinuationToken });
        Assert.Equal(Summaries(nextK), Summaries(nextT));
        Assert.Equal(new[] { "via/kestrel.bin", "via/trigger.bin" }, listT.S3Objects.Concat(nextT.S3Objects).Select(o => o.Key));
    }

    [Fact]
    public async Task OrphanSweeperTimer_ThroughFunctionsHost_DeletesCrashedWriteOnly()
    {
        using var kestrel = S3Clients.PathStyle(host);
        var bucket = Names.Bucket("fnsweep");
        await kestrel.PutBucketAsync(bucket);
        await kestrel.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "committed", ContentBody = "committed" });
        var crashed = ObjectKeys.NewBlobName(bucket, DateTimeOffset.UtcNow);
        await host.Blobs.WriteAsync(crashed, new MemoryStream(new byte[10]), BlobAccessTier.Hot);
        // Blob listings report creation times in whole seconds.
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        var settings = new Dictionary<string, string?>(host.HostSettings) { ["R2META_ORPHAN_GRACE_MINUTES"] = "0" };
        using var functions = await StartFunctionsHostAsync(settings);
        var timerFunctions = ActivatorUtilities.CreateInstance<MaintenanceFunctions>(functions.Services);
        await timerFunctions.SweepOrphanBlobsAsync(new TimerInfo(), CancellationToken.None);

        Assert.DoesNotContain(await BlobNamesAsync(bucket), n => n == crashed);
        using var get = await kestrel.GetObjectAsync(bucket, "committed");
        Assert.Equal("committed", await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task LifecycleTimer_ThroughFunctionsHost_ExpiresByTheBucketsRules()
    {
        using var kestrel = S3Clients.PathStyle(host);
        var bucket = Names.Bucket("fnlc");
        await kestrel.PutBucketAsync(bucket);
        await kestrel.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "old/a", ContentBody = "a" });
        await kestrel.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "new/b", ContentBody = "b" });
        // A date already past: the rule applies at once, at the host's real time.
        var yesterday = new DateTime(DateTime.UtcNow.Date.AddDays(-1).Ticks, DateTimeKind.Utc);
        await kestrel.PutLifecycleConfigurationAsync(bucket, new LifecycleConfiguration
        {
            Rules = [new LifecycleRule { Id = "old", Filter = new LifecycleFilter { Prefix = "old/" }, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Date = yesterday } }],
        });

        using var functions = await StartFunctionsHostAsync(host.HostSettings);
        var timerFunctions = ActivatorUtilities.CreateInstance<MaintenanceFunctions>(functions.Services);
        await timerFunctions.RunLifecycleAsync(new TimerInfo(), CancellationToken.None);

        var keys = (await kestrel.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects.Select(o => o.Key);
        Assert.Equal(["new/b"], keys);
    }

    [Fact]
    public void FunctionsHost_HasTheJobsButNoInProcessScheduler()
    {
        using var functions = R2MetaFunctionsApp.CreateBuilder([], WorkerSettings(host.HostSettings)).Build();
        Assert.DoesNotContain(functions.Services.GetServices<IHostedService>(), s => s is MaintenanceScheduler or NotificationScheduler);
        Assert.Contains(functions.Services.GetServices<IMaintenanceJob>(), j => j.Name == OrphanBlobSweeper.JobName);
        Assert.Contains(functions.Services.GetServices<IMaintenanceJob>(), j => j.Name == EmptyDirectorySweeper.JobName);
    }

    [Fact]
    public void FunctionsMetadata_DeclaresCatchAllRouteForEveryMethod()
    {
        var path = FindFunctionsMetadata();
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var function = document.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == S3Function.Name);
        var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal("{*path}", trigger.GetProperty("route").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
        var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order().ToArray();
        Assert.Equal(new[] { "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT" }, methods);

        var hostJson = Path.Combine(Path.GetDirectoryName(path)!, "host.json");
        using var host = JsonDocument.Parse(File.ReadAllText(hostJson));
        Assert.Equal(string.Empty, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void FunctionsMetadata_DeclaresOneTimerPerMaintenanceJob()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FindFunctionsMetadata()));
        var timers = document.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "timerTrigger")
                .Select(b => (Name: f.GetProperty("name").GetString()!, Schedule: b.GetProperty("schedule").GetString()!)))
            .ToList();

        Assert.Contains((OrphanBlobSweeper.JobName, "0 */15 * * * *"), timers);
        Assert.Contains((EmptyDirectorySweeper.JobName, "0 45 * * * *"), timers);
        Assert.Contains((R2Meta.Domain.Lifecycle.LifecycleJob.JobName, "0 5 * * * *"), timers);
        Assert.Contains((NotificationDispatcher.JobName, "*/10 * * * * *"), timers);

        // Every job the app registers has a timer function of the same name.
        using var functions = R2MetaFunctionsApp.CreateBuilder([], WorkerSettings(host.HostSettings)).Build();
        var jobs = functions.Services.GetServices<IMaintenanceJob>().Select(j => j.Name).Order(StringComparer.Ordinal);
        Assert.Equal(jobs, timers.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Ready_ThroughTrigger_Is200()
    {
        using var functions = await StartFunctionsHostAsync(host.HostSettings);
        using var http = new HttpClient(new InProcessFunctionHandler(ActivatorUtilities.CreateInstance<S3Function>(functions.Services), functions.Services));
        using var response = await http.GetAsync(new Uri("http://127.0.0.1:7071/_r2meta/health/ready"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
    }

    /// <summary>The trigger declares OPTIONS, so a CORS preflight gets the pipeline's S3 answer, as on the Kestrel host.</summary>
    [Fact]
    public async Task Options_ThroughTrigger_GetsThePipelinesAnswer()
    {
        using var functions = await StartFunctionsHostAsync(host.HostSettings);
        using var http = new HttpClient(new InProcessFunctionHandler(ActivatorUtilities.CreateInstance<S3Function>(functions.Services), functions.Services));
        using var plain = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "http://127.0.0.1:7071/some-bucket/key"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, plain.StatusCode);
        var preflight = new HttpRequestMessage(HttpMethod.Options, "http://127.0.0.1:7071/some-bucket/key");
        preflight.Headers.TryAddWithoutValidation("Origin", "https://example.com");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "PUT");
        using var cors = await http.SendAsync(preflight);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, cors.StatusCode);
        Assert.Equal("AccessForbidden", await RawRequests.ErrorCodeAsync(cors));
    }

    /// <summary>The Functions host answers /admin and /runtime itself: such a bucket could never be reached path-style.</summary>
    [Theory]
    [InlineData("admin")]
    [InlineData("runtime")]
    public async Task CreateBucket_NameTheFunctionsHostReserves_InvalidBucketName(string name)
    {
        using var functions = await StartFunctionsHostAsync(host.HostSettings);
        using var viaTrigger = TriggerClient(functions.Services);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => viaTrigger.PutBucketAsync(name));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("InvalidBucketName", error.ErrorCode);
        Assert.Contains("reserved", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain((await viaTrigger.ListBucketsAsync()).Buckets ?? [], b => b.BucketName == name);
    }

    /// <summary>The worker's own Kestrel decodes headers as UTF-8 and keeps ASP.NET Core's body limit (the pipeline lifts it per request).</summary>
    [Fact]
    public void FunctionsWorkerKestrel_Utf8Headers_DefaultBodyLimit()
    {
        using var functions = R2MetaFunctionsApp.CreateBuilder([], WorkerSettings(host.HostSettings)).Build();
        var kestrel = functions.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(Encoding.UTF8, kestrel.RequestHeaderEncodingSelector("x-amz-meta-name"));
        Assert.Equal(Encoding.UTF8, kestrel.ResponseHeaderEncodingSelector("x-amz-meta-name"));
        Assert.Equal(30_000_000, kestrel.Limits.MaxRequestBodySize);
    }

    /// <summary>Builds the Functions host as Program.cs does and starts what a request needs (store initialization), not the worker's gRPC channel.</summary>
    private static async Task<IHost> StartFunctionsHostAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var functionsHost = R2MetaFunctionsApp.CreateBuilder([], WorkerSettings(settings)).Build();
        foreach (var initializer in functionsHost.Services.GetServices<IHostedService>().OfType<StoreInitializer>())
        {
            await initializer.StartAsync(CancellationToken.None);
        }

        return functionsHost;
    }

    /// <summary>The Functions host passes its gRPC endpoint to the worker; the worker's services need one to resolve (nothing connects).</summary>
    private static Dictionary<string, string?> WorkerSettings(IReadOnlyDictionary<string, string?> settings) =>
        new(settings) { ["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:9/" };

    private static async Task<(byte[] Body, GetObjectResponse Response)> GetAsync(AmazonS3Client s3, string bucket, string key)
    {
        var response = await s3.GetObjectAsync(bucket, key);
        using var body = new MemoryStream();
        await response.ResponseStream.CopyToAsync(body);
        response.Dispose();
        return (body.ToArray(), response);
    }

    private static List<(string Key, string ETag, long? Size, DateTime? LastModified)> Summaries(ListObjectsV2Response response) =>
        [.. (response.S3Objects ?? []).Select(o => (o.Key, o.ETag, o.Size, o.LastModified)), .. (response.CommonPrefixes ?? []).Select(p => (p, "", (long?)null, (DateTime?)null))];

    private async Task<List<string>> BlobNamesAsync(string bucket)
    {
        var names = new List<string>();
        await foreach (var blob in host.Blobs.ListAsync(bucket + "/"))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private static AmazonS3Client TriggerClient(IServiceProvider services) =>
        new(new BasicAWSCredentials(TestAccounts.FirstKey, TestAccounts.FirstSecret), new AmazonS3Config
        {
            ServiceURL = "http://127.0.0.1:7071",
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            HttpClientFactory = new TriggerHttpClientFactory(services),
        });

    private static string FindFunctionsMetadata()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "R2Meta.Functions.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var path = Path.Combine(directory.FullName, "functions", "R2Meta.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"Build output {path} is missing.");
        return path;
    }

    /// <summary>Each request gets a function instance from the host's container, as the worker's activator does.</summary>
    private sealed class TriggerHttpClientFactory(IServiceProvider services) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new InProcessFunctionHandler(ActivatorUtilities.CreateInstance<S3Function>(services), services));
    }
}
