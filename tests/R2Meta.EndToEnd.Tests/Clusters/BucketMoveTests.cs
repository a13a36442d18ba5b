using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Clusters;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Server;

namespace R2Meta.EndToEnd.Tests.Clusters;

/// <summary>Online bucket moves between two metadata clusters (docs/bucket-move.md), per backend.</summary>
public abstract class BucketMoveTests
{
    private const int PartSize = 5 * 1024 * 1024;
    private readonly TwoClusterHost _host;

    protected BucketMoveTests(TwoClusterHost host) => _host = host;

    [Fact]
    public async Task Move_UnderConcurrentLoad_KeepsEveryAcknowledgedWriteAndEmptiesTheSource()
    {
        await using var other = await OtherInstance.StartAsync(_host);
        using var a = S3Clients.PathStyle(_host);
        using var b = other.Client();
        var clients = new IAmazonS3[] { a, b };
        var bucket = Names.Bucket("move");
        await a.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = TwoClusterHost.HomeLocation });
        var source = await _host.EntryAsync(bucket);
        var acked = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            var put = await a.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"seed/{i:D3}", ContentBody = $"seed {i}" });
            acked[$"seed/{i:D3}"] = put.ETag;
        }

        // A multipart upload open across the move: two parts before, one after, completed after.
        var upload = await a.InitiateMultipartUploadAsync(bucket, "mpu");
        var parts = new List<PartETag>
        {
            await UploadPartAsync(a, bucket, upload.UploadId, 1, PartSize),
            await UploadPartAsync(b, bucket, upload.UploadId, 2, PartSize),
        };

        long lastAckedSeq = 0;
        var violations = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var workers = new List<Task>();
        for (var w = 0; w < 2; w++)
        {
            var writer = w;
            workers.Add(Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var key = $"w{writer}/{n:D5}";
                    var put = await ClusterTests.RetryAsync(() => clients[n % 2].PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key }));
                    acked[key] = put.ETag;
                }
            }));
        }

        workers.Add(Task.Run(async () =>
        {
            for (long seq = 1; !stop.IsCancellationRequested; seq++)
            {
                var value = seq.ToString(CultureInfo.InvariantCulture);
                await ClusterTests.RetryAsync(() => clients[seq % 2].PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "hot", ContentBody = value }));
                Interlocked.Exchange(ref lastAckedSeq, seq);
            }
        }));
        for (var r = 0; r < 2; r++)
        {
            var client = clients[r];
            workers.Add(Task.Run(async () =>
            {
                long seen = 0;
                while (!stop.IsCancellationRequested)
                {
                    var floor = Interlocked.Read(ref lastAckedSeq);
                    if (floor == 0)
                    {
                        await Task.Delay(20);
                        continue;
                    }

                    var read = long.Parse(await ClusterTests.ReadAsync(client, bucket, "hot"), CultureInfo.InvariantCulture);
                    if (read < floor || read < seen)
                    {
                        violations.Enqueue($"read {read} after ack {floor} / earlier read {seen}");
                    }

                    seen = Math.Max(seen, read);
                }
            }));
        }

        workers.Add(Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var expected = acked.Keys.ToList();
                var listed = await ListAllAsync(clients[n++ % 2], bucket);
                foreach (var key in expected.Where(k => !listed.Contains(k)))
                {
                    violations.Enqueue($"listing missed acknowledged {key}");
                }
            }
        }));

        // The load runs across the move: ten acknowledged writes (and at least a second) before it, eleven after it.
        await LoadUntilAsync(acked, 30);
        var result = await _host.Services.GetRequiredService<BucketMover>().MoveAsync(bucket, TwoClusterHost.SecondName);
        await LoadUntilAsync(acked, acked.Count + 11);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Equal(MoveResult.Moved, result);
        Assert.Empty(violations);
        parts.Add(await UploadPartAsync(b, bucket, upload.UploadId, 3, 1024));
        var completed = await ClusterTests.RetryAsync(() => a.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mpu", UploadId = upload.UploadId, PartETags = parts }));
        Assert.EndsWith("-3\"", completed.ETag, StringComparison.Ordinal);
        Assert.Equal((2L * PartSize) + 1024, (await b.GetObjectMetadataAsync(bucket, "mpu")).ContentLength);

        Assert.True(acked.Count > 40, $"only {acked.Count} writes were acknowledged");
        foreach (var (key, etag) in acked)
        {
            Assert.Equal(etag, (await clients[key.Length % 2].GetObjectMetadataAsync(bucket, key)).ETag);
        }

        Assert.Equal(Interlocked.Read(ref lastAckedSeq).ToString(CultureInfo.InvariantCulture), await ClusterTests.ReadAsync(b, bucket, "hot"));
        var entry = await _host.EntryAsync(bucket);
        Assert.Equal((TwoClusterHost.SecondName, BucketState.Active, (string?)null), (entry.Cluster, entry.State, entry.MoveCluster));
        Assert.Equal(TwoClusterHost.SecondLocation, (await b.GetBucketLocationAsync(bucket)).Location.Value);
        await AssertSourceEmptyAsync(new BucketPlacement(_host.Clusters.Home, bucket, source.Incarnation));
    }

    [Theory]
    [InlineData(BucketState.Copying)]
    [InlineData(BucketState.Fenced)]
    [InlineData(BucketState.Switching)]
    [InlineData(BucketState.CleaningUp)]
    [InlineData(BucketState.Active)]
    public async Task Move_MoverStoppedAfterEachStep_ResumesAndCompletes(BucketState stopAfter)
    {
        using var s3 = S3Clients.PathStyle(_host);
        using var noRetry = new OtherClient(_host).Client;
        var bucket = Names.Bucket("crash");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = TwoClusterHost.HomeLocation });
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var source = await _host.EntryAsync(bucket);
        for (var i = 0; i < 3; i++)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"dir/k{i}", ContentBody = $"v{i}" });
        }

        var first = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "v", ContentBody = "one" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "v", ContentBody = "two" });
        var upload = await s3.InitiateMultipartUploadAsync(bucket, "mpu");
        var part = await UploadPartAsync(s3, bucket, upload.UploadId, 1, 1024);

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(4, await BucketsCommand.RunAsync(["move", bucket, TwoClusterHost.SecondName, "--stop-after", stopAfter.ToString()], output, error, _host.HostSettings));
        Assert.Equal(stopAfter, (await _host.EntryAsync(bucket)).State);

        // Stopped there, the bucket still reads; while fenced, writes answer 503 SlowDown (the client retries).
        Assert.Equal("v1", await ClusterTests.ReadAsync(s3, bucket, "dir/k1"));
        if (stopAfter is BucketState.Fenced or BucketState.Switching)
        {
            var fenced = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => noRetry.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "late", ContentBody = "x" }));
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "SlowDown"), (fenced.StatusCode, fenced.ErrorCode));
        }

        var resumed = await BucketsCommand.RunAsync(["move", bucket], output, error, _host.HostSettings);
        Assert.Equal(stopAfter == BucketState.Active ? 1 : 0, resumed);

        var entry = await _host.EntryAsync(bucket);
        Assert.Equal((TwoClusterHost.SecondName, BucketState.Active, (string?)null), (entry.Cluster, entry.State, entry.MoveCluster));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"v{i}", await ClusterTests.ReadAsync(s3, bucket, $"dir/k{i}"));
        }

        Assert.Equal("two", await ClusterTests.ReadAsync(s3, bucket, "v"));
        using (var old = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "v", VersionId = first.VersionId }))
        {
            Assert.Equal(first.ETag, old.ETag);
        }

        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["dir/"], listed.CommonPrefixes);
        await ClusterTests.RetryAsync(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "after", ContentBody = "a" }));
        var completed = await ClusterTests.RetryAsync(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mpu", UploadId = upload.UploadId, PartETags = [part] }));
        Assert.EndsWith("-1\"", completed.ETag, StringComparison.Ordinal);
        await AssertSourceEmptyAsync(new BucketPlacement(_host.Clusters.Home, bucket, source.Incarnation));
    }

    [Fact]
    public async Task Move_BucketCreatedBeforeClusters_ReadsBeforeAndMovesWithItsObjects()
    {
        // The same home stores served by a deployment with one cluster: its buckets are stored as before clusters.
        var single = _host.HostSettings.Where(s => !s.Key.StartsWith("R2META_CLUSTER", StringComparison.Ordinal)).ToDictionary();
        var app = R2MetaServer.Create([], single);
        await app.StartAsync();
        var bucket = Names.Bucket("legacy");
        try
        {
            var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
            using var old = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(TestAccounts.FirstKey, TestAccounts.FirstSecret), new AmazonS3Config
            {
                ServiceURL = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal),
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
            });
            await old.PutBucketAsync(bucket);
            await old.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a/b", ContentBody = "legacy" });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        using var s3 = S3Clients.PathStyle(_host);
        Assert.Null((await _host.EntryAsync(bucket)).Incarnation);
        Assert.Equal("legacy", await ClusterTests.ReadAsync(s3, bucket, "a/b"));
        Assert.Contains(bucket, (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName));

        Assert.Equal(MoveResult.Moved, await _host.Services.GetRequiredService<BucketMover>().MoveAsync(bucket, TwoClusterHost.SecondName));

        var entry = await _host.EntryAsync(bucket);
        Assert.Equal(TwoClusterHost.SecondName, entry.Cluster);
        Assert.NotNull(entry.Incarnation);
        Assert.Equal("legacy", await ClusterTests.ReadAsync(s3, bucket, "a/b"));
        await ClusterTests.RetryAsync(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "after", ContentBody = "x" }));
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["a/"], listed.CommonPrefixes);
        var source = new BucketPlacement(_host.Clusters.Home, bucket, null);
        Assert.True(await BucketCopier.IsEmptyAsync(source));
        Assert.Empty(await source.Cluster.Metadata.ReadDirectoryAsync(source.StoreName, string.Empty, string.Empty, null, 10));
    }

    private async Task AssertSourceEmptyAsync(BucketPlacement source)
    {
        Assert.True(await BucketCopier.IsEmptyAsync(source));
        Assert.False((await source.Cluster.Metadata.GetBucketAsync(source.StoreName)).IsOk);
        Assert.Empty(await source.Cluster.Metadata.ReadDirectoryAsync(source.StoreName, string.Empty, string.Empty, null, 10));
    }

    /// <summary>
    /// Lets the writers run for a second and until <paramref name="count"/> writes are acknowledged (at most a minute):
    /// the test needs the writes, and a slow machine acknowledges fewer of them per second.
    /// </summary>
    private static async Task LoadUntilAsync(ConcurrentDictionary<string, string> acked, int count)
    {
        await Task.Delay(1000);
        for (var waited = 0; acked.Count < count && waited < 60_000; waited += 50)
        {
            await Task.Delay(50);
        }
    }

    private static async Task<PartETag> UploadPartAsync(IAmazonS3 s3, string bucket, string uploadId, int number, int size)
    {
        var part = await ClusterTests.RetryAsync(() => s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "mpu",
            UploadId = uploadId,
            PartNumber = number,
            InputStream = new MemoryStream(new byte[size]),
        }));
        return new PartETag(number, part.ETag);
    }

    private static async Task<HashSet<string>> ListAllAsync(IAmazonS3 s3, string bucket)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token, MaxKeys = 200 });
            keys.UnionWith(page.S3Objects?.Select(o => o.Key) ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    /// <summary>A client of the test's host that does not retry, to see a fenced write's own answer.</summary>
    private sealed class OtherClient(R2MetaHost host)
    {
        public AmazonS3Client Client { get; } = new(new Amazon.Runtime.BasicAWSCredentials(TestAccounts.FirstKey, TestAccounts.FirstSecret), new AmazonS3Config
        {
            ServiceURL = host.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
    }
}

public sealed class TablesBucketMoveTests(TablesTwoClusterHost host) : BucketMoveTests(host), IClassFixture<TablesTwoClusterHost>;

public sealed class CosmosBucketMoveTests(CosmosTwoClusterHost host) : BucketMoveTests(host), IClassFixture<CosmosTwoClusterHost>;
