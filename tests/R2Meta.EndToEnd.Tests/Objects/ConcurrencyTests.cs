using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>Overwrites racing readers: every read is one whole version, and no garbage is left behind.</summary>
public abstract class ConcurrencyTests
{
    private readonly R2MetaHost _host;

    protected ConcurrencyTests(R2MetaHost host) => _host = host;

    protected virtual int Writers => 32;

    protected virtual int WritesEach => 50;

    [Fact]
    public async Task Overwrites_WhileReading_EveryReadIsCompleteAndOneBlobRemains()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("race");
        await s3.PutBucketAsync(bucket);
        const string key = "contended";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(Body(-1, 0)) });

        using var stop = new CancellationTokenSource();
        var reads = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var get = await s3.GetObjectAsync(bucket, key);
                using var buffer = new MemoryStream();
                await get.ResponseStream.CopyToAsync(buffer);
                var bytes = buffer.ToArray();
                Assert.Equal(get.ContentLength, bytes.Length);
                Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(bytes))}\"", get.ETag);
                Interlocked.Increment(ref reads);
            }
        })).ToArray();

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < WritesEach; i++)
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(Body(w, i)) });
            }
        })).ToArray();

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(reads > 0);

        var blobs = new List<string>();
        await foreach (var blob in _host.Blobs.ListAsync(bucket + "/"))
        {
            blobs.Add(blob.Name);
        }

        var record = await _host.Metadata.GetObjectAsync(bucket, key);
        Assert.True(record.IsOk);
        Assert.Equal([record.Value!.BlobName], blobs);
    }

    private static byte[] Body(int writer, int sequence)
    {
        // Different sizes per version so a torn read cannot match any ETag by accident.
        var size = 1024 + (((writer + 1) * 131) + (sequence * 17)) % 4096;
        return RandomNumberGenerator.GetBytes(size);
    }
}

public sealed class TablesConcurrencyTests(TablesHost host) : ConcurrencyTests(host), IClassFixture<TablesHost>;

public sealed class CosmosConcurrencyTests(CosmosHost host) : ConcurrencyTests(host), IClassFixture<CosmosHost>
{
    // The Cosmos emulator is a single-threaded JavaScript process; a smaller storm keeps the suite quick.
    protected override int Writers => 8;

    protected override int WritesEach => 10;
}
