using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;
using LifecycleFilter = Amazon.S3.Model.LifecycleFilter;
using LifecycleRule = Amazon.S3.Model.LifecycleRule;
using LifecycleTransition = Amazon.S3.Model.LifecycleTransition;
using Tag = Amazon.S3.Model.Tag;

namespace R2Meta.EndToEnd.Tests.Lifecycle;

/// <summary>
/// The lifecycle executor on real stores, run with a clock advanced past the rules' ages (the server keeps the real
/// time, which SigV4 needs); what it did is read back over the wire.
/// </summary>
public abstract class LifecycleJobTests(R2MetaHost host) : OneBucketTests(host, "lcjob")
{
    /// <summary>
    /// This test's start, taken when xUnit creates the class for it, just before its objects are written. A static
    /// was taken once for every derived class: a class that ran after midnight UTC counted its objects' ages from
    /// the day before, and its rules' days (counted from midnight after the write) were not yet up.
    /// </summary>
    private DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Expiration_ByDays_DeletesThePrefixOnceOld()
    {
        await PutRulesAsync(Days("logs", 1, new LifecycleFilter { Prefix = "logs/" }));
        await PutAsync("logs/a", "logs/b", "keep/c", "logsx");

        await RunAsync(Now);
        Assert.Equal(["keep/c", "logs/a", "logs/b", "logsx"], await KeysAsync());

        var result = await RunAsync(Now.AddDays(2));
        Assert.Equal(["keep/c", "logsx"], await KeysAsync());
        Assert.Equal(2, result.Expired);
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(Bucket, "logs/a"));
        Assert.Equal("NoSuchKey", e.ErrorCode);
    }

    [Fact]
    public async Task Expiration_ByDate_FromMidnightOfTheDate()
    {
        var date = new DateTime(Now.UtcDateTime.Date.AddDays(3).Ticks, DateTimeKind.Utc);
        await PutRulesAsync(new LifecycleRule
        {
            Id = "date", Filter = new LifecycleFilter { Prefix = "d/" }, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Date = date },
        });
        await PutAsync("d/1", "e/1");

        await RunAsync(new DateTimeOffset(date).AddSeconds(-1));
        Assert.Equal(["d/1", "e/1"], await KeysAsync());
        await RunAsync(new DateTimeOffset(date));
        Assert.Equal(["e/1"], await KeysAsync());
    }

    [Fact]
    public async Task Expiration_ByTag_OnlyTaggedObjects()
    {
        await PutRulesAsync(Days("tag", 1, new LifecycleFilter { Tag = new Tag { Key = "env", Value = "tmp" } }));
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "tagged", ContentBody = "x", TagSet = [new Tag { Key = "env", Value = "tmp" }] });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "other-value", ContentBody = "x", TagSet = [new Tag { Key = "env", Value = "prod" }] });
        await PutAsync("untagged");

        await RunAsync(Now.AddDays(2));
        Assert.Equal(["other-value", "untagged"], await KeysAsync());
    }

    [Fact]
    public async Task Expiration_BySize_OnlyBetweenTheBounds()
    {
        await PutRulesAsync(Days("size", 1, new LifecycleFilter { And = new LifecycleRuleAndOperator { Prefix = "s/", ObjectSizeGreaterThan = 10, ObjectSizeLessThan = 100 } }));
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "s/small", ContentBody = new string('x', 5) });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "s/middle", ContentBody = new string('x', 50) });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "s/large", ContentBody = new string('x', 500) });

        await RunAsync(Now.AddDays(2));
        Assert.Equal(["s/large", "s/small"], await KeysAsync());
    }

    [Fact]
    public async Task Expiration_VersionedBucket_WritesADeleteMarkerAndKeepsTheVersion()
    {
        await EnableVersioningAsync();
        await PutRulesAsync(Days("v", 1, new LifecycleFilter()));
        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "x" });

        await RunAsync(Now.AddDays(2));
        Assert.Empty(await KeysAsync());
        var versions = (await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket })).Versions;
        Assert.Equal(2, versions.Count);
        Assert.True(versions[0].IsDeleteMarker);
        Assert.Equal(put.VersionId, versions[1].VersionId);

        // Run again: the current version is a delete marker now, nothing more happens.
        await RunAsync(Now.AddDays(3));
        Assert.Equal(2, (await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket })).Versions.Count);
    }

    [Fact]
    public async Task NoncurrentExpiration_KeepsExactlyNewerNoncurrentVersions()
    {
        await EnableVersioningAsync();
        await PutRulesAsync(new LifecycleRule
        {
            Id = "noncurrent", Filter = new LifecycleFilter { Prefix = "n/" }, Status = LifecycleRuleStatus.Enabled,
            NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 1, NewerNoncurrentVersions = 2 },
        });
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "n/k", ContentBody = "v" + i })).VersionId);
        }

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "m/k", ContentBody = "a" });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "m/k", ContentBody = "b" });

        await RunAsync(Now);
        Assert.Equal(6, (await VersionsAsync("n/k")).Count);

        await RunAsync(Now.AddDays(2));
        // The current version and the two newest noncurrent ones.
        Assert.Equal([ids[5], ids[4], ids[3]], await VersionsAsync("n/k"));
        Assert.Equal(2, (await VersionsAsync("m/k")).Count);
        using var get = await S3.GetObjectAsync(Bucket, "n/k");
        Assert.Equal("v5", await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task ExpiredObjectDeleteMarker_RemovedOnlyWhenNoVersionIsLeft()
    {
        await EnableVersioningAsync();
        await PutRulesAsync(new LifecycleRule
        {
            Id = "markers", Filter = new LifecycleFilter(), Status = LifecycleRuleStatus.Enabled,
            Expiration = new LifecycleRuleExpiration { ExpiredObjectDeleteMarker = true },
        });
        var lone = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "lone", ContentBody = "x" });
        await S3.DeleteObjectAsync(Bucket, "lone");
        await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "lone", VersionId = lone.VersionId });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "kept", ContentBody = "x" });
        await S3.DeleteObjectAsync(Bucket, "kept");

        var result = await RunAsync(Now);
        Assert.Equal(1, result.Expired);
        Assert.Empty(await VersionsAsync("lone"));
        Assert.Equal(2, (await VersionsAsync("kept")).Count);
    }

    [Fact]
    public async Task AbortIncompleteMultipartUpload_AbortsOldUploadsOfThePrefix()
    {
        await PutRulesAsync(new LifecycleRule
        {
            Id = "abort", Filter = new LifecycleFilter { Prefix = "tmp/" }, Status = LifecycleRuleStatus.Enabled,
            AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 1 },
        });
        var old = await S3.InitiateMultipartUploadAsync(Bucket, "tmp/big");
        await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "tmp/big", UploadId = old.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[10]) });
        var kept = await S3.InitiateMultipartUploadAsync(Bucket, "keep/big");

        await RunAsync(Now);
        Assert.Equal(2, (await UploadsAsync()).Count);

        var result = await RunAsync(Now.AddDays(2));
        Assert.Equal(1, result.Aborted);
        Assert.Equal([kept.UploadId], await UploadsAsync());
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.ListPartsAsync(Bucket, "tmp/big", old.UploadId));
        Assert.Equal("NoSuchUpload", e.ErrorCode);
    }

    [Fact]
    public async Task Transition_MovesTheBlobToCoolAndTheObjectToStandardIa()
    {
        await PutRulesAsync(new LifecycleRule
        {
            Id = "cool", Filter = new LifecycleFilter { Prefix = "t/" }, Status = LifecycleRuleStatus.Enabled,
            Transitions = [new LifecycleTransition { Days = 30, StorageClass = S3StorageClass.StandardInfrequentAccess }],
        });
        await PutAsync("t/a", "u/b");

        await RunAsync(Now.AddDays(10));
        Assert.Equal(BlobAccessTier.Hot, await TierAsync("t/a"));

        var result = await RunAsync(Now.AddDays(31));
        Assert.Equal(1, result.Transitioned);
        Assert.Equal(BlobAccessTier.Cool, await TierAsync("t/a"));
        Assert.Equal(BlobAccessTier.Hot, await TierAsync("u/b"));
        var head = await S3.GetObjectMetadataAsync(Bucket, "t/a");
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, head.StorageClass);
        using var get = await S3.GetObjectAsync(Bucket, "t/a");
        Assert.Equal("t/a", await new StreamReader(get.ResponseStream).ReadToEndAsync());

        // Already there: a later run does nothing more.
        Assert.Equal(0, (await RunAsync(Now.AddDays(32))).Transitioned);
    }

    [Fact]
    public async Task NoncurrentTransition_MovesOnlyTheNoncurrentVersion()
    {
        await EnableVersioningAsync();
        await PutRulesAsync(new LifecycleRule
        {
            Id = "cool-noncurrent", Filter = new LifecycleFilter(), Status = LifecycleRuleStatus.Enabled,
            NoncurrentVersionTransitions = [new LifecycleRuleNoncurrentVersionTransition { NoncurrentDays = 30, StorageClass = S3StorageClass.StandardInfrequentAccess }],
        });
        var old = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "old" });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "new" });

        var result = await RunAsync(Now.AddDays(31));
        Assert.Equal(1, result.Transitioned);
        var versions = (await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket })).Versions;
        Assert.Equal(S3StorageClass.Standard, versions[0].StorageClass);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, versions.Single(v => v.VersionId == old.VersionId).StorageClass);
        var entry = await Host.Services.GetRequiredService<IVersionStore>().GetVersionAsync(Bucket, "k", old.VersionId);
        Assert.Equal(BlobAccessTier.Cool, (await Host.Blobs.GetAccessTierAsync(entry.Value!.BlobName)).Value);
        Assert.Equal(BlobAccessTier.Hot, await TierAsync("k"));
    }

    [Fact]
    public async Task Run_BoundedWork_SavesItsCursorAndResumesThere()
    {
        await PutRulesAsync(Days("bounded", 1, new LifecycleFilter { Prefix = "b/" }));
        await PutAsync("b/1", "b/2", "b/3", "b/4", "b/5");
        var job = Job(Now.AddDays(2), new LifecycleOptions { PageSize = 2, MaxRecordsPerScan = 2 });

        var first = await job.RunBucketAsync(await BucketAsync());
        Assert.Equal(2, first.Expired);
        Assert.Equal(["b/3", "b/4", "b/5"], await KeysAsync());
        Assert.NotNull((await BucketAsync()).LifecycleCursors);

        await job.RunBucketAsync(await BucketAsync());
        Assert.Equal(["b/5"], await KeysAsync());
        await job.RunBucketAsync(await BucketAsync());
        Assert.Empty(await KeysAsync());
        Assert.Null((await BucketAsync()).LifecycleCursors);
    }

    [Fact]
    public async Task MaintenanceJob_FromTheHost_FindsTheBucketAndAppliesItsRules()
    {
        // A date already past expires at once, at the host's own (real) time.
        var yesterday = new DateTime(Now.UtcDateTime.Date.AddDays(-1).Ticks, DateTimeKind.Utc);
        await PutRulesAsync(new LifecycleRule
        {
            Id = "past", Filter = new LifecycleFilter { Prefix = "past/" }, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Date = yesterday },
        });
        await PutAsync("past/a", "now/b");

        await Host.Services.GetRequiredService<LifecycleJob>().RunAsync(CancellationToken.None);
        Assert.Equal(["now/b"], await KeysAsync());
    }

    private LifecycleJob Job(DateTimeOffset now, LifecycleOptions? options = null) => LifecycleJobs.At(Host, now, options);

    /// <summary>One run over this test's bucket (other tests' buckets share the host).</summary>
    private async Task<LifecycleRunResult> RunAsync(DateTimeOffset now) => await Job(now).RunBucketAsync(await BucketAsync());

    private async Task<BlobAccessTier> TierAsync(string key) =>
        (await Host.Blobs.GetAccessTierAsync((await Host.Metadata.GetObjectAsync(Bucket, key)).Value!.BlobName)).Value;

    private async Task<BucketRecord> BucketAsync() => (await Host.Metadata.GetBucketAsync(Bucket)).Value!;

    private static LifecycleRule Days(string id, int days, LifecycleFilter filter) => new()
    {
        Id = id, Filter = filter, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Days = days },
    };

    private Task PutRulesAsync(params LifecycleRule[] rules) => S3.PutLifecycleConfigurationAsync(Bucket, new LifecycleConfiguration { Rules = [.. rules] });

    private async Task PutAsync(params string[] keys)
    {
        foreach (var key in keys)
        {
            await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = key });
        }
    }

    private Task EnableVersioningAsync() => S3.PutBucketVersioningAsync(new PutBucketVersioningRequest
    {
        BucketName = Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
    });

    private async Task<List<string>> KeysAsync() =>
        ((await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).S3Objects ?? []).Select(o => o.Key).ToList();

    private async Task<List<string>> VersionsAsync(string key) =>
        ((await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, Prefix = key })).Versions ?? []).Where(v => v.Key == key).Select(v => v.VersionId).ToList();

    private async Task<List<string>> UploadsAsync() =>
        ((await S3.ListMultipartUploadsAsync(Bucket)).MultipartUploads ?? []).Select(u => u.UploadId).ToList();
}

public sealed class TablesLifecycleJobTests(TablesHost host) : LifecycleJobTests(host), IClassFixture<TablesHost>;

public sealed class CosmosLifecycleJobTests(CosmosHost host) : LifecycleJobTests(host), IClassFixture<CosmosHost>;
