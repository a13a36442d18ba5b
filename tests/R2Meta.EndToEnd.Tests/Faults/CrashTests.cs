using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using R2Meta.Domain.Maintenance;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Server;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>
/// Writers put, overwrite, delete and complete multipart uploads while the server process is SIGKILLed
/// and restarted against the same stores. Afterwards every acknowledged write reads back with its ETag
/// and bytes (or a later write whose outcome the kill made unknown), the listing shows exactly the live
/// keys, and the orphan sweeper with a short grace leaves no unreferenced blob and deletes no referenced one.
/// </summary>
public abstract class CrashTests(Backend backend, ITestOutputHelper output)
{
    /// <summary>What a key holds after an operation: absent, or an object with this ETag and content hash.</summary>
    private sealed record KeyState(string? ETag, string? Sha256)
    {
        public static readonly KeyState Absent = new(null, null);
    }

    /// <summary>Per key (each key has one writer, so its operations are sequential): the last acknowledged state and the unknown ones after it.</summary>
    private sealed class KeyLog
    {
        public KeyState Acked { get; set; } = KeyState.Absent;

        public List<KeyState> UnknownSince { get; } = [];
    }

    private sealed class Tally
    {
        public int Acked;
        public int Unknown;
        public int Rejected;
        public readonly ConcurrentQueue<string> Failures = new();
    }

    [Fact]
    public async Task Crash_ServerKilledDuringWrites_KeepsEveryAcknowledgedWrite()
    {
        var kills = FaultClients.LongMode ? 12 : 3;
        var settings = R2MetaHost.Settings(backend, R2MetaHost.NewSuffix());
        var bucket = Names.Bucket("crash");
        var started = Stopwatch.StartNew();
        using var server = new ServerProcess(settings);
        await server.StartAsync();
        using (var s3 = FaultClients.Create(server.Endpoint, TimeSpan.FromSeconds(100)))
        {
            await s3.PutBucketAsync(bucket);
        }

        const int writers = 4;
        const int keysPerWriter = 6;
        var logs = new Dictionary<string, KeyLog>();
        for (var w = 0; w < writers; w++)
        {
            for (var k = 0; k < keysPerWriter; k++)
            {
                logs[$"w{w}/key-{k}"] = new KeyLog();
            }
        }

        var tally = new Tally();
        using var stop = new CancellationTokenSource();
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(server.Endpoint, bucket, w, keysPerWriter, logs, tally, stop.Token))).ToArray();
        var random = new Random(15);
        for (var kill = 0; kill < kills; kill++)
        {
            // Kill while writers are busy: after some writes were acknowledged by this incarnation (a restarted
            // server on a loaded machine takes a while to serve), at a random moment.
            var ackedBefore = Volatile.Read(ref tally.Acked);
            var waiting = Stopwatch.StartNew();
            while (Volatile.Read(ref tally.Acked) < ackedBefore + 8 && waiting.Elapsed < TimeSpan.FromSeconds(40))
            {
                await Task.Delay(100);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 2500)));
            server.Kill();
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(50, 500)));
            await server.StartAsync();
        }

        var ackedAtLastStart = Volatile.Read(ref tally.Acked);
        var settling = Stopwatch.StartNew();
        while (Volatile.Read(ref tally.Acked) < ackedAtLastStart + 8 && settling.Elapsed < TimeSpan.FromSeconds(40))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writing);

        var (lost, corrupted) = await VerifyAsync(server.Endpoint, bucket, logs);
        server.Kill();
        var (unreferenced, missing, deleted) = await SweepAndCheckBlobsAsync(settings, bucket);
        output.WriteLine($"{backend}: {kills} SIGKILLs in {started.Elapsed.TotalSeconds:F1} s; {tally.Acked} writes acknowledged, {tally.Unknown} without an answer (cut by a kill or refused while down), {tally.Rejected} rejected; lost {lost}, corrupted {corrupted}; sweeper deleted {deleted}, unreferenced blobs left {unreferenced}, referenced blobs missing {missing}; first failures: {string.Join(" | ", tally.Failures)}");

        Assert.Equal(0, lost);
        Assert.Equal(0, corrupted);
        Assert.Equal(0, unreferenced);
        Assert.Equal(0, missing);
        Assert.True(tally.Acked > 10, $"only {tally.Acked} writes were acknowledged; failures: {string.Join(" | ", tally.Failures)}");
    }

    private static async Task WriteAsync(Uri endpoint, string bucket, int writer, int keys, Dictionary<string, KeyLog> logs, Tally tally, CancellationToken stop)
    {
        var random = new Random(writer + 100);
        using var s3 = FaultClients.Create(endpoint, TimeSpan.FromSeconds(30));
        while (!stop.IsCancellationRequested)
        {
            var key = $"w{writer}/key-{random.Next(keys)}";
            var log = logs[key];
            var roll = random.Next(100);
            var body = RandomNumberGenerator.GetBytes(random.Next(1, 96 * 1024));
            var hash = Convert.ToHexStringLower(SHA256.HashData(body));
            var intended = roll < 12 ? KeyState.Absent : new KeyState(null, hash);
            try
            {
                var state = roll switch
                {
                    < 12 => await DeleteAsync(s3, bucket, key),
                    < 30 => await MultipartAsync(s3, bucket, key, body, hash),
                    _ => new KeyState((await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(body) }, CancellationToken.None)).ETag, hash),
                };
                log.Acked = state;
                log.UnknownSince.Clear();
                Interlocked.Increment(ref tally.Acked);
            }
            catch (Exception e) when (FaultClients.IsDefiniteRejection(e))
            {
                if (Interlocked.Increment(ref tally.Rejected) <= 5)
                {
                    tally.Failures.Enqueue(e.GetType().Name + ": " + e.Message);
                }

            }
            catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException or TaskCanceledException or TimeoutException
                || FaultClients.IsStoreTrouble(e))
            {
                // Cut by a kill, or refused while the server was down (the SDK may retry a cut request into a refusal,
                // so the two cannot be told apart), or answered 503 after a store call ran out of time (the store may
                // still have applied it): it may or may not have committed. Its ETag is unknown, its bytes are not.
                log.UnknownSince.Add(intended);
                if (Interlocked.Increment(ref tally.Unknown) <= 5)
                {
                    tally.Failures.Enqueue(e.GetType().Name + ": " + e.Message);
                }

                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private static async Task<KeyState> DeleteAsync(AmazonS3Client s3, string bucket, string key)
    {
        await s3.DeleteObjectAsync(bucket, key);
        return KeyState.Absent;
    }

    private static async Task<KeyState> MultipartAsync(AmazonS3Client s3, string bucket, string key, byte[] body, string hash)
    {
        var created = await s3.InitiateMultipartUploadAsync(bucket, key);
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = key, UploadId = created.UploadId, PartNumber = 1, InputStream = new MemoryStream(body) });
        var completed = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = key, UploadId = created.UploadId, PartETags = [new PartETag(1, part.ETag)],
        });
        return new KeyState(completed.ETag, hash);
    }

    /// <summary>Counts keys whose content is neither the last acknowledged state nor an unknown write after it, and bytes that do not match.</summary>
    private async Task<(int Lost, int Corrupted)> VerifyAsync(Uri endpoint, string bucket, Dictionary<string, KeyLog> logs)
    {
        using var s3 = FaultClients.Create(endpoint, TimeSpan.FromSeconds(100));
        var lost = 0;
        var corrupted = 0;
        var live = new HashSet<string>();
        foreach (var (key, log) in logs)
        {
            KeyState found;
            try
            {
                using var get = await s3.GetObjectAsync(bucket, key);
                var bytes = await FaultClients.ReadAllAsync(get.ResponseStream);
                found = new KeyState(get.ETag, Convert.ToHexStringLower(SHA256.HashData(bytes)));
                live.Add(key);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                found = KeyState.Absent;
            }

            var acked = log.Acked.Sha256 == found.Sha256 && (log.Acked.ETag is null || log.Acked.ETag == found.ETag);
            var unknown = log.UnknownSince.Any(s => s.Sha256 == found.Sha256);
            if (!acked && !unknown)
            {
                var known = logs.Values.Any(l => l.Acked.Sha256 == found.Sha256 || l.UnknownSince.Any(s => s.Sha256 == found.Sha256));
                output.WriteLine($"{key}: found {found}, last acknowledged {log.Acked}, {log.UnknownSince.Count} unknown after it");
                if (found.Sha256 is not null && !known)
                {
                    corrupted++;
                }
                else
                {
                    lost++;
                }
            }
        }

        var listed = new HashSet<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, MaxKeys = 7 };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            listed.UnionWith((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        Assert.Equal(live.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        return (lost, corrupted);
    }

    /// <summary>Runs the orphan sweeper with a short grace on the stores, then compares the blob container with the references.</summary>
    private static async Task<(int Unreferenced, int Missing, int Deleted)> SweepAndCheckBlobsAsync(IReadOnlyDictionary<string, string?> settings, string bucket)
    {
        await using var app = R2MetaServer.Create([], settings);
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        var metadata = app.Services.GetRequiredService<IMetadataStore>();
        var uploads = app.Services.GetRequiredService<IUploadStore>();
        await metadata.InitializeAsync();
        await blobs.InitializeAsync();
        var grace = TimeSpan.FromSeconds(2);
        // Blob listings give creation times in whole seconds: wait past the grace with a margin.
        await Task.Delay(grace + TimeSpan.FromSeconds(2.2));
        var sweeper = new OrphanBlobSweeper(blobs, metadata, (IVersionStore)metadata, uploads, new OrphanSweeperOptions { Grace = grace, PageSize = 5 }, TimeProvider.System, NullLogger<OrphanBlobSweeper>.Instance);
        var result = await sweeper.SweepAsync();
        Assert.Equal(0, result.FailedBuckets);

        var referenced = new HashSet<string>((await metadata.ReadRangeAsync(bucket, string.Empty, null, 10_000)).Select(r => r.BlobName));
        var uploadBlobs = (await uploads.ListUploadsAsync(bucket)).Select(u => u.BlobName).ToHashSet();
        var present = new HashSet<string>();
        await foreach (var blob in blobs.ListAsync(bucket + "/"))
        {
            present.Add(blob.Name);
        }

        var unreferenced = present.Count(b => !referenced.Contains(b) && !uploadBlobs.Contains(b));
        var missing = referenced.Count(b => !present.Contains(b));
        return (unreferenced, missing, result.Deleted);
    }
}

public sealed class TablesCrashTests(ITestOutputHelper output) : CrashTests(Backend.Tables, output);

public sealed class CosmosCrashTests(ITestOutputHelper output) : CrashTests(Backend.Cosmos, output);
