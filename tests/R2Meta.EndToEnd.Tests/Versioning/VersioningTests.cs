using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.Domain.Keys;
using IVersionStore = R2Meta.Domain.Storage.IVersionStore;
using WriteCondition = R2Meta.Domain.Storage.WriteCondition;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Versioning;

/// <summary>
/// S3 object versioning through AWSSDK.S3 v4: Put/GetBucketVersioning, versions on overwrite, reads and deletes by
/// version id, delete markers (404 and 405 answers with their headers), restoring by copy, suspended null-version
/// semantics, DeleteObjects by version, ListObjectVersions paging and its agreement with ListObjectsV2. Both backends.
/// </summary>
public abstract class VersioningTests : OneBucketTests
{
    protected VersioningTests(R2MetaHost host)
        : base(host, "ver")
    {
    }

    [Fact]
    public async Task GetBucketVersioning_NeverVersioned_EmptyConfiguration()
    {
        using var raw = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}?versioning");
        var body = await raw.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Contains("VersioningConfiguration", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<Status>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutBucketVersioning_EnabledThenSuspended_GetAnswersEach()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var enabled = await S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket });
        await SetVersioningAsync(VersionStatus.Suspended);
        var suspended = await S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket });

        Assert.Equal(VersionStatus.Enabled, enabled.VersioningConfig.Status);
        Assert.Equal(VersionStatus.Suspended, suspended.VersioningConfig.Status);
    }

    [Fact]
    public async Task PutBucketVersioning_MfaDeleteEnabled_Refused()
    {
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = Bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled, EnableMfaDelete = true },
        }));
        var after = await S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket });

        Assert.Equal(HttpStatusCode.NotImplemented, error.StatusCode);
        Assert.Equal(VersionStatus.Off, after.VersioningConfig.Status);
    }

    [Fact]
    public async Task Enabled_OverwriteDeleteRestore_EveryVersionKeptAndReadable()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var first = await PutAsync("doc", "one");
        var second = await PutAsync("doc", "two");

        var current = await ReadAsync("doc");
        var old = await ReadAsync("doc", first.VersionId);
        var deleted = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "doc" });
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => ReadAsync("doc"));
        using var rawGone = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}/doc");
        var listedAfterDelete = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        var copied = await S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket, SourceKey = "doc", SourceVersionId = first.VersionId, DestinationBucket = Bucket, DestinationKey = "doc",
        });
        var restored = await ReadAsync("doc");
        var versions = await ListAllVersionsAsync(maxKeys: 1000);

        Assert.NotEqual(first.VersionId, second.VersionId);
        Assert.False(string.IsNullOrEmpty(first.VersionId));
        Assert.Equal("two", current);
        Assert.Equal("one", old);
        Assert.Equal("true", deleted.DeleteMarker);
        Assert.False(string.IsNullOrEmpty(deleted.VersionId));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("NoSuchKey", gone.ErrorCode);
        Assert.Equal("true", Assert.Single(rawGone.Headers.GetValues("x-amz-delete-marker")));
        Assert.Equal(deleted.VersionId, Assert.Single(rawGone.Headers.GetValues("x-amz-version-id")));
        Assert.Empty(listedAfterDelete.S3Objects ?? []);
        Assert.Equal(first.VersionId, copied.SourceVersionId);
        Assert.Equal("one", restored);
        Assert.Equal(
            [(copied.VersionId, false, true), (deleted.VersionId, true, false), (second.VersionId, false, false), (first.VersionId, false, false)],
            versions.Select(v => (v.VersionId, v.IsDeleteMarker ?? false, v.IsLatest ?? false)));
    }

    [Fact]
    public async Task GetByVersionId_DeleteMarker_MethodNotAllowedWithHeaders()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        await PutAsync("k", "v");
        var marker = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "k" });

        using var get = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}/k?versionId={marker.VersionId}");
        using var head = await RawRequests.SendSignedAsync(Host, HttpMethod.Head, $"/{Bucket}/k?versionId={marker.VersionId}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("MethodNotAllowed", await RawRequests.ErrorCodeAsync(get));
        Assert.Equal("true", Assert.Single(get.Headers.GetValues("x-amz-delete-marker")));
        Assert.Equal(marker.VersionId, Assert.Single(get.Headers.GetValues("x-amz-version-id")));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.StatusCode);
        Assert.Equal("true", Assert.Single(head.Headers.GetValues("x-amz-delete-marker")));
    }

    [Fact]
    public async Task GetByVersionId_UnknownOrMalformed_NoSuchVersionOrInvalidArgument()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        await PutAsync("k", "v");

        var unknown = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => ReadAsync("k", "7fffffffffffffff00000000"));
        var malformed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => ReadAsync("k", "not-a-version"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NoSuchVersion", unknown.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("InvalidArgument", malformed.ErrorCode);
    }

    [Fact]
    public async Task DeleteByVersionId_CurrentVersion_PreviousBecomesCurrentThenKeyDisappears()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var first = await PutAsync("dir/k", "one");
        var second = await PutAsync("dir/k", "two");

        var deleted = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "dir/k", VersionId = second.VersionId });
        var now = await ReadAsync("dir/k");
        var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = "dir/k" });
        await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "dir/k", VersionId = first.VersionId });
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Delimiter = "/" });
        var versions = await ListAllVersionsAsync(maxKeys: 1000);

        Assert.Equal(second.VersionId, deleted.VersionId);
        Assert.Null(deleted.DeleteMarker);
        Assert.Equal("one", now);
        Assert.Equal(first.VersionId, head.VersionId);
        Assert.Empty(listed.S3Objects ?? []);
        Assert.Empty(listed.CommonPrefixes ?? []);
        Assert.Empty(versions);
    }

    [Fact]
    public async Task DeleteMarker_InDirectory_DirectoryLeavesDelimitedListing()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        await PutAsync("photos/a", "a");
        await PutAsync("keep", "k");

        await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "photos/a" });
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Delimiter = "/" });
        var versions = await S3.ListVersionsAsync(new ListVersionsRequest { BucketName = Bucket, Delimiter = "/" });
        await PutAsync("photos/b", "b");
        var again = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Delimiter = "/" });

        Assert.Equal(["keep"], (listed.S3Objects ?? []).Select(o => o.Key));
        Assert.Empty(listed.CommonPrefixes ?? []);
        Assert.Equal(["photos/"], versions.CommonPrefixes);
        Assert.Equal(["photos/"], again.CommonPrefixes);
    }

    [Fact]
    public async Task Suspended_WritesReplaceTheNullVersionAndKeepOthers()
    {
        await PutAsync("k", "before");
        await SetVersioningAsync(VersionStatus.Enabled);
        var enabled = await PutAsync("k", "enabled");
        await SetVersioningAsync(VersionStatus.Suspended);
        var suspended = await PutAsync("k", "suspended-1");
        await PutAsync("k", "suspended-2");

        var versions = await ListAllVersionsAsync(maxKeys: 1000);
        var nullVersion = await ReadAsync("k", "null");
        var enabledVersion = await ReadAsync("k", enabled.VersionId);
        var marker = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "k" });
        var afterDelete = await ListAllVersionsAsync(maxKeys: 1000);

        Assert.True(string.IsNullOrEmpty(suspended.VersionId) || suspended.VersionId == "null");
        Assert.Equal([("null", true), (enabled.VersionId, false)], versions.Select(v => (v.VersionId, v.IsLatest ?? false)));
        Assert.Equal("suspended-2", nullVersion);
        Assert.Equal("enabled", enabledVersion);
        Assert.Equal("true", marker.DeleteMarker);
        Assert.Equal("null", marker.VersionId);
        Assert.Equal([("null", true, true), (enabled.VersionId, false, false)], afterDelete.Select(v => (v.VersionId, v.IsDeleteMarker ?? false, v.IsLatest ?? false)));
    }

    [Fact]
    public async Task DeleteObjects_WithVersionIds_AnswersEachAsS3()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var a1 = await PutAsync("a", "1");
        await PutAsync("a", "2");
        await PutAsync("b", "1");

        var response = await S3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = Bucket,
            Objects = [new KeyVersion { Key = "a", VersionId = a1.VersionId }, new KeyVersion { Key = "b" }],
        });
        var versions = await ListAllVersionsAsync(maxKeys: 1000);

        var byKey = response.DeletedObjects.ToDictionary(d => d.Key);
        Assert.Equal(a1.VersionId, byKey["a"].VersionId);
        Assert.NotEqual(true, byKey["a"].DeleteMarker);
        Assert.True(byKey["b"].DeleteMarker);
        Assert.False(string.IsNullOrEmpty(byKey["b"].DeleteMarkerVersionId));
        Assert.Equal([("a", false), ("b", true), ("b", false)], versions.Select(v => (v.Key, v.IsDeleteMarker ?? false)));
    }

    [Fact]
    public async Task DeleteObjects_EveryVersionOfAKeyInOneRequest_EmptiesTheBucket()
    {
        // What clients do to empty a versioned bucket: list the versions, then delete them all in one request.
        await SetVersioningAsync(VersionStatus.Enabled);
        await PutAsync("k", "1");
        await PutAsync("k", "2");
        await PutAsync("k", "3");
        await S3.DeleteObjectAsync(Bucket, "k");
        var listed = await ListAllVersionsAsync(maxKeys: 1000);

        var response = await S3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = Bucket,
            Objects = listed.Select(v => new KeyVersion { Key = v.Key, VersionId = v.VersionId }).ToList(),
        });
        var left = await ListAllVersionsAsync(maxKeys: 1000);

        Assert.Equal(4, listed.Count);
        Assert.Equal(4, response.DeletedObjects.Count);
        Assert.Empty(left);
        await S3.DeleteBucketAsync(Bucket);
    }

    [Fact]
    public async Task DeleteByVersionId_CurrentWhileADeletedNewerVersionsCopyRemains_PromotesTheOlderVersion()
    {
        // The state a delete of version 3 by id is in between promoting version 2 and removing version 3's history copy:
        // deleting version 2 then must promote version 1, not the copy of version 3 (which would bring it back for good).
        await SetVersioningAsync(VersionStatus.Enabled);
        var v1 = (await PutAsync("k", "one")).VersionId;
        var v2 = (await PutAsync("k", "two")).VersionId;
        await PutAsync("k", "three");
        var versions = (IVersionStore)Host.Metadata;
        var v3 = (await Host.Metadata.GetObjectAsync(Bucket, "k")).Value!;
        await versions.PutVersionAsync(VersionIds.AsHistory(v3));
        var second = (await versions.GetVersionAsync(Bucket, "k", v2)).Value!;
        Assert.True((await Host.Metadata.PutObjectAsync(second with { Version = null }, WriteCondition.IfVersion(v3.Version!))).IsOk);

        await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "k", VersionId = v2 });
        var current = await S3.GetObjectMetadataAsync(Bucket, "k");

        Assert.Equal(v1, current.VersionId);
        Assert.Equal("one", await ReadAsync("k"));
    }

    [Fact]
    public async Task DeleteByVersionId_EveryVersionAtOnceInSeparateRequests_NothingComesBack()
    {
        // Deleting the current version promotes the next-newest, which another request is deleting at that moment:
        // the promoted version must not outlive its delete.
        await SetVersioningAsync(VersionStatus.Enabled);
        for (var round = 0; round < 5; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 5).Select(i => PutAsync("race", $"r{round}v{i}")));
            var listed = await ListAllVersionsAsync(maxKeys: 1000);

            await Task.WhenAll(listed.Select(v => S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = v.Key, VersionId = v.VersionId })));
            var left = await ListAllVersionsAsync(maxKeys: 1000);

            Assert.Equal(5, listed.Count);
            Assert.Empty(left);
        }
    }

    [Fact]
    public async Task Enabled_ConcurrentOverwrites_EveryVersionKept()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        await PutAsync("hot", "seed");

        var puts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PutAsync("hot", $"w{i}")));
        var versions = await ListAllVersionsAsync(maxKeys: 1000);
        var latest = await ReadAsync("hot");

        Assert.Equal(9, versions.Count);
        Assert.Equal(9, versions.Select(v => v.VersionId).Distinct().Count());
        Assert.Subset(versions.Select(v => v.VersionId).ToHashSet(), puts.Select(p => p.VersionId).ToHashSet());
        Assert.Equal(latest, await ReadAsync("hot", versions[0].VersionId));
    }

    [Fact]
    public async Task ObjectTagging_ByVersionId_TagsOnlyThatVersion()
    {
        await SetVersioningAsync(VersionStatus.Enabled);
        var first = await PutAsync("t", "one");
        await PutAsync("t", "two");

        await S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = Bucket, Key = "t", VersionId = first.VersionId, Tagging = new Tagging { TagSet = [new Tag { Key = "old", Value = "yes" }] },
        });
        var oldTags = await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "t", VersionId = first.VersionId });
        var currentTags = await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "t" });
        await S3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = Bucket, Key = "t", VersionId = first.VersionId });
        var cleared = await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "t", VersionId = first.VersionId });

        Assert.Equal([("old", "yes")], (oldTags.Tagging ?? []).Select(t => (t.Key, t.Value)));
        Assert.Equal(first.VersionId, oldTags.VersionId);
        Assert.Empty(currentTags.Tagging ?? []);
        Assert.Empty(cleared.Tagging ?? []);
        Assert.Equal("one", await ReadAsync("t", first.VersionId));
    }

    [Fact]
    public async Task ListVersions_PagedByOne_EqualsOnePage()
    {
        await PutAsync("n", "null-version");
        await SetVersioningAsync(VersionStatus.Enabled);
        foreach (var key in new[] { "x/1", "n", "a", "x/1", "a", "é", "x/2" })
        {
            await PutAsync(key, key);
        }

        await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "a" });

        var whole = await ListAllVersionsAsync(maxKeys: 1000);
        var paged = await ListAllVersionsAsync(maxKeys: 1);
        var pagedByTwo = await ListAllVersionsAsync(maxKeys: 2);

        Assert.Equal(["a", "a", "a", "n", "n", "x/1", "x/1", "x/2", "é"], whole.Select(v => v.Key));
        Assert.True(whole[0].IsDeleteMarker);
        Assert.Equal(whole.Select(v => (v.Key, v.VersionId)), paged.Select(v => (v.Key, v.VersionId)));
        Assert.Equal(whole.Select(v => (v.Key, v.VersionId)), pagedByTwo.Select(v => (v.Key, v.VersionId)));
        Assert.Equal("null", whole.Last(v => v.Key == "n").VersionId);
    }

    private Task SetVersioningAsync(VersionStatus status) => S3.PutBucketVersioningAsync(new PutBucketVersioningRequest
    {
        BucketName = Bucket,
        VersioningConfig = new S3BucketVersioningConfig { Status = status },
    });

    private Task<PutObjectResponse> PutAsync(string key, string body) =>
        S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = body });

    private async Task<string> ReadAsync(string key, string? versionId = null)
    {
        using var response = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, VersionId = versionId });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private async Task<List<S3ObjectVersion>> ListAllVersionsAsync(int maxKeys)
    {
        var all = new List<S3ObjectVersion>();
        var request = new ListVersionsRequest { BucketName = Bucket, MaxKeys = maxKeys };
        for (var page = 0; page < 100; page++)
        {
            var response = await S3.ListVersionsAsync(request);
            all.AddRange(response.Versions ?? []);
            if (response.IsTruncated != true)
            {
                return all;
            }

            request.KeyMarker = response.NextKeyMarker;
            request.VersionIdMarker = response.NextVersionIdMarker;
        }

        throw new InvalidOperationException("ListObjectVersions did not end.");
    }
}

public sealed class TablesVersioningTests(TablesHost host) : VersioningTests(host), IClassFixture<TablesHost>;

public sealed class CosmosVersioningTests(CosmosHost host) : VersioningTests(host), IClassFixture<CosmosHost>;
