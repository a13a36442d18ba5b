using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using R2Meta.Domain.Maintenance;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Maintenance;

/// <summary>
/// The orphan sweeper on real stores: blobs of writes that crashed before their commit go once older
/// than the grace period; committed objects, younger blobs and staged (uncommitted) blocks stay.
/// </summary>
public abstract class OrphanSweeperTests : IAsyncLifetime
{
    /// <summary>Blob listings report creation times in whole seconds: keep every "before"/"after" this far apart.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(2.2);

    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(60);

    private readonly R2MetaHost _host;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = Names.Bucket("sweep");

    protected OrphanSweeperTests(R2MetaHost host)
    {
        _host = host;
        _s3 = S3Clients.PathStyle(host);
    }

    public Task InitializeAsync() => _s3.PutBucketAsync(_bucket);

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Sweep_AfterGracePeriod_DeletesCrashedWritesAndKeepsCommittedObjects()
    {
        var committed = RandomNumberGenerator.GetBytes(5000);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "kept/old", InputStream = new MemoryStream(committed) });
        var overwritten = await ReferencedBlobAsync("kept/old");
        var crashed = await WriteBlobAsync(_bucket);
        // A bucket already deleted from metadata still has its leftovers swept.
        var ghostBucket = Names.Bucket("ghost");
        var ghost = await WriteBlobAsync(ghostBucket);

        await Task.Delay(ClockMargin);
        var cutoff = DateTimeOffset.UtcNow;
        await Task.Delay(ClockMargin);

        var young = await WriteBlobAsync(_bucket);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "kept/young", ContentBody = "young" });

        var result = await Sweeper(cutoff + Grace).SweepAsync();

        Assert.False(await ExistsAsync(crashed), "a crashed write's blob older than the grace period survived");
        Assert.False(await ExistsAsync(ghost), "a deleted bucket's blob survived");
        Assert.True(await ExistsAsync(young), "a blob younger than the grace period was swept");
        Assert.True(await ExistsAsync(overwritten), "a committed object's blob was swept");
        Assert.True(result.Deleted >= 2, $"deleted {result.Deleted}");
        Assert.Equal(0, result.FailedBuckets);

        using var get = await _s3.GetObjectAsync(_bucket, "kept/old");
        using var read = new MemoryStream();
        await get.ResponseStream.CopyToAsync(read);
        Assert.Equal(committed, read.ToArray());
        using var getYoung = await _s3.GetObjectAsync(_bucket, "kept/young");
        Assert.Equal("young", await new StreamReader(getYoung.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task Sweep_VersionedBucket_KeepsNoncurrentVersionsBytesAndDeletesOrphans()
    {
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var first = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "v", ContentBody = "first" });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "v", ContentBody = "second" });
        var gone = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "gone", ContentBody = "gone" });
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "gone" });
        var crashed = await WriteBlobAsync(_bucket);
        await Task.Delay(ClockMargin);

        var result = await Sweeper(DateTimeOffset.UtcNow + Grace + ClockMargin).SweepAsync();

        Assert.False(await ExistsAsync(crashed), "a crashed write's blob survived");
        Assert.Equal(0, result.FailedBuckets);
        using var old = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "v", VersionId = first.VersionId });
        Assert.Equal("first", await new StreamReader(old.ResponseStream).ReadToEndAsync());
        using var underMarker = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "gone", VersionId = gone.VersionId });
        Assert.Equal("gone", await new StreamReader(underMarker.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task Sweep_LongAfterEverything_KeepsEveryReferencedBlob()
    {
        var keys = Enumerable.Range(0, 12).Select(i => $"dir/{i:D2}-{new string('k', i * 90)}").ToList();
        foreach (var key in keys)
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = key });
        }

        var orphan = await WriteBlobAsync(_bucket);
        await Task.Delay(ClockMargin);

        // Pages of 5 records: references on every page, and overflow keys (> 930 bytes) across a page end, count.
        var sweeper = Sweeper(DateTimeOffset.UtcNow + TimeSpan.FromDays(1), grace: TimeSpan.Zero, pageSize: 5);
        await sweeper.SweepAsync();

        Assert.False(await ExistsAsync(orphan));
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "dir/" });
        Assert.Equal(keys.Order(StringComparer.Ordinal), listed.S3Objects.Select(o => o.Key));
        foreach (var key in keys)
        {
            using var get = await _s3.GetObjectAsync(_bucket, key);
            Assert.Equal(key, await new StreamReader(get.ResponseStream).ReadToEndAsync());
        }
    }

    [Fact]
    public async Task Sweep_StagedBlocksOfAnUnfinishedUpload_StayCommittable()
    {
        // Multipart parts are staged blocks of the final blob: not a listed blob until committed.
        var blobName = ObjectKeys.NewBlobName(_bucket, DateTimeOffset.UtcNow);
        var blockId = Convert.ToBase64String("block-000001"u8);
        var part = RandomNumberGenerator.GetBytes(1024);
        await _host.Blobs.StageBlockAsync(blobName, blockId, new MemoryStream(part), part.Length);
        await Task.Delay(ClockMargin);

        await Sweeper(DateTimeOffset.UtcNow + TimeSpan.FromDays(1), grace: TimeSpan.Zero).SweepAsync();

        await _host.Blobs.CommitBlocksAsync(blobName, [blockId], BlobAccessTier.Hot);
        var read = await _host.Blobs.OpenReadAsync(blobName, 0, null);
        Assert.True(read.IsOk);
        await using var stream = read.Value!;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(part, copy.ToArray());
        await _host.Blobs.DeleteAsync(blobName);
    }

    [Fact]
    public async Task Sweep_UploadWhoseCompletionCrashedAfterCommittingBlocks_KeepsItsBlob()
    {
        var part = RandomNumberGenerator.GetBytes(6000);
        var created = await _s3.InitiateMultipartUploadAsync(_bucket, "multipart");
        var uploaded = await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket, Key = "multipart", UploadId = created.UploadId, PartNumber = 1, InputStream = new MemoryStream(part),
        });

        // A completion that committed the blocks and crashed before the object commit: the blob is listed, only the upload refers to it.
        var uploads = _host.Services.GetRequiredService<IUploadStore>();
        var upload = Assert.Single(await uploads.ListUploadsAsync(_bucket), u => u.UploadId == created.UploadId);
        var parts = await uploads.ListPartsAsync(_bucket, upload.UploadId, 0, 10);
        await _host.Blobs.CommitBlocksAsync(upload.BlobName, [.. parts.SelectMany(p => p.BlockIds)], BlobAccessTier.Hot);
        await Task.Delay(ClockMargin);

        await Sweeper(DateTimeOffset.UtcNow + TimeSpan.FromDays(1), grace: TimeSpan.Zero).SweepAsync();

        Assert.True(await ExistsAsync(upload.BlobName), "the blob of an in-progress upload was swept");
        await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket, Key = "multipart", UploadId = created.UploadId,
            PartETags = [new PartETag(1, uploaded.ETag)],
        });
        using var get = await _s3.GetObjectAsync(_bucket, "multipart");
        using var read = new MemoryStream();
        await get.ResponseStream.CopyToAsync(read);
        Assert.Equal(part, read.ToArray());
    }

    private OrphanBlobSweeper Sweeper(DateTimeOffset now, TimeSpan? grace = null, int pageSize = 1000) =>
        new(_host.Blobs, _host.Metadata, _host.Services.GetRequiredService<IVersionStore>(), _host.Services.GetRequiredService<IUploadStore>(), new OrphanSweeperOptions { Grace = grace ?? Grace, PageSize = pageSize }, new FixedTimeProvider(now), NullLogger<OrphanBlobSweeper>.Instance);

    /// <summary>A write that crashed after its blob and before its commit.</summary>
    private async Task<string> WriteBlobAsync(string bucket)
    {
        var name = ObjectKeys.NewBlobName(bucket, DateTimeOffset.UtcNow);
        await _host.Blobs.WriteAsync(name, new MemoryStream(RandomNumberGenerator.GetBytes(100)), BlobAccessTier.Hot);
        Assert.True(await ExistsAsync(name));
        return name;
    }

    private async Task<string> ReferencedBlobAsync(string key)
    {
        var record = await _host.Metadata.GetObjectAsync(_bucket, key);
        Assert.True(record.IsOk);
        return record.Value!.BlobName;
    }

    private async Task<bool> ExistsAsync(string blobName)
    {
        await foreach (var blob in _host.Blobs.ListAsync(blobName))
        {
            if (blob.Name == blobName)
            {
                return true;
            }
        }

        return false;
    }
}

public sealed class TablesOrphanSweeperTests(TablesHost host) : OrphanSweeperTests(host), IClassFixture<TablesHost>;

public sealed class CosmosOrphanSweeperTests(CosmosHost host) : OrphanSweeperTests(host), IClassFixture<CosmosHost>;
