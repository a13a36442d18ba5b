using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Forms;

/// <summary>Alone: the memory measured is the process's, and other classes' requests would show in it.</summary>
[CollectionDefinition(nameof(PostObjectMemoryCollection), DisableParallelization = true)]
public sealed class PostObjectMemoryCollection;

/// <summary>A large form upload, streamed: memory stays bounded and the object reads back whole.</summary>
public abstract class PostObjectMemoryTests : OneBucketTests
{
    protected PostObjectMemoryTests(R2MetaHost host)
        : base(host, "postmem")
    {
    }

    private Uri Url => PostForms.BucketUrl(Host, Bucket);

    /// <summary>
    /// 64 MiB through a form: the file part streams into the blob, so the process's managed heap (server and test
    /// client share it) grows by the write path's block staging (the blob store's 8 MiB blocks, 4 in flight),
    /// not by the file. A server that buffered the file would grow by 64 MiB or more.
    /// </summary>
    [Fact]
    public async Task PostObject_64MiB_StreamsWithBoundedMemoryAndReadsBack()
    {
        const long size = 64L * 1024 * 1024;
        var fields = PostForms.Sign([new("key", "large")], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "large"}""", $"""["content-length-range", 0, {size}]"""]);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(10);
            }
        });

        using var response = await PostForms.PostAsync(Url, fields, new PatternStream(size));
        await sampling.CancelAsync();
        await sampler;
        var growth = peak - baseline;
        Console.WriteLine($"PostObject 64 MiB ({Host.Backend}): managed heap peak growth {growth / (1024.0 * 1024):F1} MiB");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(growth < 48L * 1024 * 1024, $"managed heap grew by {growth:N0} bytes while posting {size:N0}");
        using var get = await S3.GetObjectAsync(Bucket, "large");
        Assert.Equal(size, get.ContentLength);
        var md5 = await Md5Async(get.ResponseStream);
        using var expected = new PatternStream(size);
        Assert.Equal(Convert.ToHexStringLower(await MD5.HashDataAsync(expected)), md5);
        Assert.Equal($"\"{md5}\"", get.ETag);
    }

    private static async Task<string> Md5Async(Stream stream) => Convert.ToHexStringLower(await MD5.HashDataAsync(stream));
}

[Collection(nameof(PostObjectMemoryCollection))]
public sealed class TablesPostObjectMemoryTests(TablesHost host) : PostObjectMemoryTests(host), IClassFixture<TablesHost>;

[Collection(nameof(PostObjectMemoryCollection))]
public sealed class CosmosPostObjectMemoryTests(CosmosHost host) : PostObjectMemoryTests(host), IClassFixture<CosmosHost>;
