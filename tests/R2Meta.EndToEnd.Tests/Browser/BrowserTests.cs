using System.Diagnostics;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Browser;

/// <summary>
/// R2Meta from a web page: Debian's chromium, headless, driven by tests/browser/run.mjs (playwright-core, pinned
/// in its lockfile; script/test runs npm ci there and installs chromium), loads a page served on another
/// localhost origin than the endpoint and runs each step in it; screenshots land in .artifacts/browser/.
/// </summary>
public sealed class BrowserTests : IClassFixture<TablesHost>, IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ImageKey = "pixel.png";

    // A 2x2 PNG: enough for naturalWidth > 0.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4zwAE/xkgFAAb8gP91pbyKwAAAABJRU5ErkJggg==");

    private readonly R2MetaHost _host;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = Names.Bucket("page");
    private readonly string _public = Names.Bucket("public");

    public BrowserTests(TablesHost host)
    {
        _host = host;
        _s3 = S3Clients.PathStyle(host);
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _public, CannedACL = S3CannedACL.PublicRead });
        foreach (var bucket in new[] { _bucket, _public })
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = ImageKey, InputStream = new MemoryStream(Png), ContentType = "image/png" });
        }

        // Any localhost page may GET, PUT, POST and HEAD with any header and read the ETag; DELETE is not allowed.
        await _s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = _bucket,
            Configuration = new CORSConfiguration
            {
                Rules =
                [
                    new CORSRule
                    {
                        AllowedOrigins = ["http://localhost:*"],
                        AllowedMethods = ["GET", "PUT", "POST", "HEAD"],
                        AllowedHeaders = ["*"],
                        // lib-storage reads each part's checksum from the UploadPart answer and must name it at Complete (the SDK
                        // creates uploads with CRC32): without exposing it a browser multipart upload is refused, on AWS as here.
                        ExposeHeaders = ["ETag", "x-amz-request-id", "x-amz-checksum-crc32"],
                        MaxAgeSeconds = 60,
                    },
                ],
            },
        });
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Browser_PageOnAnotherOrigin_EveryStepAsExpected()
    {
        var steps = await RunPageAsync();

        var presigned = steps.GetProperty("1-presigned-put-get");
        Assert.True(presigned.GetProperty("ok").GetBoolean(), presigned.ToString());
        Assert.Equal(200, presigned.GetProperty("putStatus").GetInt32());
        Assert.True(presigned.GetProperty("sameBytes").GetBoolean());
        var stored = await _s3.GetObjectMetadataAsync(_bucket, "browser/presigned.txt");
        Assert.Equal(stored.ETag, presigned.GetProperty("etag").GetString());

        var post = steps.GetProperty("2-form-post");
        Assert.True(post.GetProperty("ok").GetBoolean(), post.ToString());
        Assert.Equal(stored.ContentLength, (await _s3.GetObjectMetadataAsync(_bucket, "post/hello.txt")).ContentLength); // the same file as step 1

        var sdk = steps.GetProperty("3-sdk-multipart-list");
        Assert.True(sdk.GetProperty("ok").GetBoolean(), sdk.ToString());
        Assert.Equal(20 * 1024 * 1024, (await _s3.GetObjectMetadataAsync(_bucket, "browser/multipart.bin")).ContentLength);

        var images = steps.GetProperty("4-img-public-private");
        Assert.True(images.GetProperty("ok").GetBoolean(), images.ToString());
        Assert.Equal(2, images.GetProperty("publicImage").GetProperty("naturalWidth").GetInt32());
        Assert.False(images.GetProperty("privateImage").GetProperty("loaded").GetBoolean());

        var refused = steps.GetProperty("5-refused-by-cors");
        Assert.True(refused.GetProperty("ok").GetBoolean(), refused.ToString());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await _s3.GetObjectMetadataAsync(_bucket, "browser/presigned.txt")).HttpStatusCode);
    }

    private async Task<JsonElement> RunPageAsync()
    {
        var root = RepositoryRoot();
        var project = Path.Combine(root, "tests", "browser");
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: script/test installs Debian's chromium (apt-get install chromium).");
        Assert.True(Directory.Exists(Path.Combine(project, "node_modules", "playwright-core")), "tests/browser/node_modules is missing: script/test runs npm ci there.");

        var config = Path.Combine(Directory.CreateTempSubdirectory("r2meta-browser").FullName, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["endpoint"] = _host.Endpoint.ToString().TrimEnd('/'),
            ["accessKeyId"] = TestAccounts.FirstKey,
            ["secretAccessKey"] = TestAccounts.FirstSecret,
            ["region"] = "us-east-1",
            ["bucket"] = _bucket,
            ["publicBucket"] = _public,
            ["imageKey"] = ImageKey,
            ["artifacts"] = Path.Combine(root, ".artifacts", "browser"),
            ["chromium"] = Chromium,
        }));

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = project };
        start.ArgumentList.Add(Path.Combine(project, "run.mjs"));
        start.ArgumentList.Add(config);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("run.mjs did not finish in 4 minutes: " + await stderr);
        }

        Assert.True(process.ExitCode == 0, $"run.mjs exited {process.ExitCode}: {await stderr}");
        using var result = JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]);
        return result.RootElement.GetProperty("steps").Clone();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tests", "browser", "package.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("tests/browser/package.json not found above " + AppContext.BaseDirectory);
    }
}
