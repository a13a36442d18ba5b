using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using R2Meta.Core.Pipeline;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Functions;
using R2Meta.Hosting;

namespace R2Meta.EndToEnd.Tests.Functions;

/// <summary>The Azure Functions trigger, invoked in-process with the same wiring as the Functions host.</summary>
public sealed class FunctionsTriggerTests(TablesHost host) : IClassFixture<TablesHost>
{
    [Fact]
    public async Task ListBuckets_ThroughTrigger_EqualsKestrelHost()
    {
        using var kestrel = S3Clients.PathStyle(host);
        var bucket = Names.Bucket("fn");
        await kestrel.PutBucketAsync(bucket);

        await using var functionServices = await BuildFunctionServicesAsync(host.HostSettings);
        using var viaTrigger = TriggerClient(functionServices);

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
    public void FunctionsMetadata_DeclaresCatchAllRouteForEveryMethod()
    {
        var path = FindFunctionsMetadata();
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var function = document.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == S3Function.Name);
        var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal("{*path}", trigger.GetProperty("route").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
        var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order().ToArray();
        Assert.Equal(new[] { "DELETE", "GET", "HEAD", "POST", "PUT" }, methods);

        var hostJson = Path.Combine(Path.GetDirectoryName(path)!, "host.json");
        using var host = JsonDocument.Parse(File.ReadAllText(hostJson));
        Assert.Equal(string.Empty, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    private static async Task<ServiceProvider> BuildFunctionServicesAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddR2Meta(configuration);
        services.AddSingleton<S3Function>();
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return provider;
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

    private sealed class TriggerHttpClientFactory(IServiceProvider services) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new InProcessFunctionHandler(services.GetRequiredService<S3Function>(), services));
    }
}
