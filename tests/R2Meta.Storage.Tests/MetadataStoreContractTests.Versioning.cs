using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Listing;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tests;

/// <summary>
/// Versioning on the real store: the history port's contract, and a seeded property test that drives the domain's
/// versioned commit (<see cref="ObjectCommitter"/>) with random puts, deletes, version deletes and state changes on a
/// few keys and compares ListObjectVersions (paged by two) and ListObjectsV2 (scan and directory index) with a small
/// reference model of S3 versioning after each sequence — and that no blob of a live version was ever deleted.
/// </summary>
public abstract partial class MetadataStoreContractTests
{
    private IVersionStore Versions => (IVersionStore)Store;

    [Fact]
    public async Task VersionHistory_PutReadDelete_OrderedByKeyThenNewestFirst()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var older = NewObject(bucket, "a") with { VersionId = VersionIds.New(t0) };
        var newer = NewObject(bucket, "a") with { VersionId = VersionIds.New(t0.AddSeconds(1)), IsDeleteMarker = true, BlobName = string.Empty };
        var other = NewObject(bucket, "a/b") with { VersionId = VersionIds.New(t0) };

        await Versions.PutVersionAsync(other);
        await Versions.PutVersionAsync(older);
        await Versions.PutVersionAsync(newer);
        await Versions.PutVersionAsync(older);
        var all = await Versions.ReadVersionsAsync(bucket, string.Empty, null, 10);
        var got = await Versions.GetVersionAsync(bucket, "a", older.VersionId!);
        var deleted = await Versions.DeleteVersionAsync(bucket, "a", older.VersionId!);
        var again = await Versions.DeleteVersionAsync(bucket, "a", older.VersionId!);
        var (from, to) = VersionIds.RangeOf("a");
        var ofA = await Versions.ReadVersionsAsync(bucket, from, to, 10);
        var objects = await Store.ReadRangeAsync(bucket, string.Empty, null, 10);

        Assert.Equal([(newer.VersionId, true), (older.VersionId, false), (other.VersionId, false)], all.Select(v => (v.VersionId, v.IsDeleteMarker)));
        Assert.Equal(older.BlobName, got.Value!.BlobName);
        Assert.Equal(StoreStatus.Ok, deleted);
        Assert.Equal(StoreStatus.NotFound, again);
        Assert.Equal([newer.VersionId], ofA.Select(v => v.VersionId));
        Assert.Empty(objects);
    }

    [Fact]
    public async Task DeleteMarker_AsCurrent_HiddenFromRangeAndDirectoryButRead()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var live = NewObject(bucket, "d/live") with { VersionId = VersionIds.New(DateTimeOffset.UtcNow) };
        await Store.PutObjectAsync(live, WriteCondition.IfAbsent);
        var put = await Store.PutObjectAsync(NewObject(bucket, "d/x") with { VersionId = VersionIds.New(DateTimeOffset.UtcNow) }, WriteCondition.IfAbsent);
        var marker = NewObject(bucket, "d/x") with { VersionId = VersionIds.New(DateTimeOffset.UtcNow), IsDeleteMarker = true, BlobName = string.Empty };

        var replaced = await Store.PutObjectAsync(marker, WriteCondition.IfVersion(put.Value!.Version!));
        var read = await Store.GetObjectAsync(bucket, "d/x");
        var range = await Store.ReadRangeAsync(bucket, string.Empty, null, 10);
        var current = await Versions.ReadCurrentAsync(bucket, string.Empty, null, 10);
        var directory = await Store.ReadDirectoryAsync(bucket, "d/", string.Empty, null, 10);

        Assert.Equal(StoreStatus.Ok, replaced.Status);
        Assert.True(read.Value!.IsDeleteMarker);
        Assert.Equal(["d/live"], range.Select(r => r.Key));
        Assert.Equal(["d/live", "d/x"], current.Select(r => r.Key));
        Assert.Equal(["d/live"], directory.Select(e => e.Name));
    }

    [Fact]
    public async Task Versioning_CrashLeftACopyOfTheCurrentVersion_ListedOnceAndDeletedWithIt()
    {
        // What a write that died between its history upsert and its commit (or a promotion that died before
        // removing the promoted entry) leaves: a history entry with the current version's id.
        var bucket = NewBucket("owner") with { HasDirectoryIndex = true };
        await Store.CreateBucketAsync(bucket);
        var committer = new ObjectCommitter(Store, Versions, new RecordingBlobStore(), TimeProvider.System, NullLogger<ObjectCommitter>.Instance);
        var now = DateTimeOffset.UtcNow;
        var older = (await committer.CommitAsync(VersionIds.Stamp(NewObject(bucket.Name, "k"), BucketVersioning.Enabled, now), WriteConditions.None, WriteCheck.NotRead)).Value;
        var current = (await committer.CommitAsync(VersionIds.Stamp(NewObject(bucket.Name, "k"), BucketVersioning.Enabled, now.AddSeconds(1)), WriteConditions.None, WriteCheck.NotRead)).Value;
        await Versions.PutVersionAsync(current with { Version = null });

        var listed = await ListVersionsPagedAsync(bucket.Name, maxKeys: 1);
        var (found, _) = await committer.FindVersionAsync(bucket.Name, "k", current.VersionId!);
        Assert.True((await committer.DeleteVersionAsync(bucket.Name, "k", current.VersionId!)).IsOk);
        var after = await ListVersionsPagedAsync(bucket.Name, maxKeys: 1000);

        Assert.Equal([$"k@{current.VersionId}*", $"k@{older.VersionId}"], listed);
        Assert.Equal(current.BlobName, found!.BlobName);
        Assert.Equal([$"k@{older.VersionId}*"], after);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Versioning_RandomSequences_ListingsEqualTheReferenceModel(int seed)
    {
        var random = new Random(seed);
        for (var sequence = 0; sequence < 3; sequence++)
        {
            var bucket = NewBucket("owner") with { HasDirectoryIndex = true };
            await Store.CreateBucketAsync(bucket);
            var blobs = new RecordingBlobStore();
            var committer = new ObjectCommitter(Store, Versions, blobs, TimeProvider.System, NullLogger<ObjectCommitter>.Instance);
            var model = new VersioningModel();
            string[] keys = ["a", "d/x", "d/y", "é", "d/e/z"];
            var log = new StringBuilder();
            for (var step = 0; step < 25; step++)
            {
                var key = keys[random.Next(keys.Length)];
                switch (random.Next(10))
                {
                    case 0:
                        model.State = BucketVersioning.Enabled;
                        log.Append("enable; ");
                        break;
                    case 1:
                        model.State = BucketVersioning.Suspended;
                        log.Append("suspend; ");
                        break;
                    case 2 or 3:
                        var version = model.Versions(key);
                        var target = version.Count == 0 || random.Next(5) == 0 ? VersionIds.Null : version[random.Next(version.Count)].Id;
                        Assert.True((await committer.DeleteVersionAsync(bucket.Name, key, target)).IsOk);
                        model.DeleteVersion(key, target);
                        log.Append($"delete {key}@{target}; ");
                        break;
                    case 4 or 5:
                        if (model.State == BucketVersioning.Unversioned)
                        {
                            Assert.True((await committer.DeleteAsync(bucket.Name, key, WriteConditions.None)).IsOk);
                            model.Delete(key, id: null);
                        }
                        else
                        {
                            var marker = await committer.WriteDeleteMarkerAsync(bucket.Name, key, model.State, WriteConditions.None);
                            model.Delete(key, marker.Value.VersionId);
                        }

                        log.Append($"delete {key}; ");
                        break;
                    default:
                        var now = DateTimeOffset.UtcNow;
                        var record = VersionIds.Stamp(NewObject(bucket.Name, key) with { LastModified = now }, model.State, now);
                        var committed = await committer.CommitAsync(record, WriteConditions.None, WriteCheck.NotRead);
                        model.Put(key, committed.Value.S3VersionId, committed.Value.BlobName);
                        log.Append($"put {key}; ");
                        break;
                }
            }

            var context = $"seed {seed}, sequence {sequence}: {log}";
            Assert.True(model.ListVersions().SequenceEqual(await ListVersionsPagedAsync(bucket.Name, maxKeys: 2)), context + "\nversions " + string.Join(", ", await ListVersionsPagedAsync(bucket.Name, maxKeys: 2)) + "\nmodel " + string.Join(", ", model.ListVersions()));
            Assert.True(model.ListObjects().SequenceEqual(await ListObjectsPagedAsync(bucket, delimiter: null)), context);
            Assert.True(model.ListDelimited().SequenceEqual(await ListObjectsPagedAsync(bucket, delimiter: "/")), context + "\n" + string.Join(",", await ListObjectsPagedAsync(bucket, "/")));
            Assert.Empty(model.LiveBlobs().Intersect(blobs.Deleted));
        }
    }

    private async Task<List<string>> ListVersionsPagedAsync(string bucket, int maxKeys)
    {
        var engine = new VersionListingEngine(Versions, Store);
        var listed = new List<string>();
        var query = new VersionQuery { MaxKeys = maxKeys };
        for (var page = 0; page < 200; page++)
        {
            var result = await engine.ListAsync(bucket, query);
            listed.AddRange(result.Entries.Select(e => $"{e.Name}@{e.Version!.S3VersionId}{(e.Version.IsDeleteMarker ? "(marker)" : string.Empty)}{(e.IsLatest ? "*" : string.Empty)}"));
            if (!result.IsTruncated)
            {
                return listed;
            }

            query = query with { KeyMarker = result.NextKeyMarker, VersionIdMarker = result.NextVersionIdMarker };
        }

        throw new InvalidOperationException("The version listing did not end.");
    }

    private async Task<List<string>> ListObjectsPagedAsync(BucketRecord bucket, string? delimiter)
    {
        var engine = new ListingEngine(Store);
        var listed = new List<string>();
        var query = new ListQuery { MaxKeys = 2, Delimiter = delimiter };
        for (var page = 0; page < 200; page++)
        {
            var result = await engine.ListAsync(bucket, query);
            listed.AddRange(result.Entries.Select(e => e.Name));
            if (!result.IsTruncated)
            {
                return listed;
            }

            query = query with { After = result.Last };
        }

        throw new InvalidOperationException("The listing did not end.");
    }

    /// <summary>S3 versioning of a few keys, as the S3 documentation describes it: per key, versions newest first.</summary>
    private sealed class VersioningModel
    {
        private readonly SortedDictionary<string, List<(string Id, bool Marker, string? Blob)>> _keys = new(Comparer<string>.Create(Utf8KeyOrder.Compare));

        public BucketVersioning State { get; set; }

        public List<(string Id, bool Marker, string? Blob)> Versions(string key) =>
            _keys.TryGetValue(key, out var versions) ? versions : _keys[key] = [];

        public void Put(string key, string id, string blob) => Add(key, id, marker: false, blob);

        /// <param name="id">The marker's id; null when the bucket is unversioned (the key just goes).</param>
        public void Delete(string key, string? id)
        {
            if (id is null)
            {
                Versions(key).Clear();
                return;
            }

            Add(key, id, marker: true, blob: null);
        }

        public void DeleteVersion(string key, string id) => Versions(key).RemoveAll(v => v.Id == id);

        public IEnumerable<string> ListVersions() => _keys.SelectMany(k => k.Value.Select((v, i) => $"{k.Key}@{v.Id}{(v.Marker ? "(marker)" : string.Empty)}{(i == 0 ? "*" : string.Empty)}"));

        public IEnumerable<string> ListObjects() => _keys.Where(k => k.Value.Count > 0 && !k.Value[0].Marker).Select(k => k.Key);

        public IEnumerable<string> ListDelimited() => ListObjects()
            .Select(k => k.Contains('/', StringComparison.Ordinal) ? k[..(k.IndexOf('/', StringComparison.Ordinal) + 1)] : k)
            .Distinct();

        public IEnumerable<string> LiveBlobs() => _keys.Values.SelectMany(v => v).Where(v => v.Blob is not null).Select(v => v.Blob!);

        private void Add(string key, string id, bool marker, string? blob)
        {
            var versions = Versions(key);
            if (State != BucketVersioning.Enabled)
            {
                // Unversioned and suspended writes replace the null version.
                versions.RemoveAll(v => v.Id == VersionIds.Null);
            }

            versions.Insert(0, (id, marker, blob));
        }
    }

    /// <summary>A blob store the versioned commit only deletes from: it records what it was asked to delete; any other call is a test defect.</summary>
    private sealed class RecordingBlobStore : IBlobStore
    {
        private readonly ConcurrentBag<string> _deleted = [];

        public IEnumerable<string> Deleted => _deleted;

        public Task DeleteAsync(string blobName, CancellationToken cancellationToken = default)
        {
            _deleted.Add(blobName);
            return Task.CompletedTask;
        }

        public Task InitializeAsync(CancellationToken cancellationToken = default) => throw Unexpected();

        public Task<long> WriteAsync(string blobName, Stream content, BlobAccessTier tier, CancellationToken cancellationToken = default) => throw Unexpected();

        public Task<StoreResult<Stream>> OpenReadAsync(string blobName, long offset, long? length, CancellationToken cancellationToken = default) => throw Unexpected();

        public Task<StoreStatus> CopyAsync(string sourceBlobName, string destinationBlobName, BlobAccessTier tier, CancellationToken cancellationToken = default) => throw Unexpected();

        public Task StageBlockAsync(string blobName, string blockId, Stream content, long length, CancellationToken cancellationToken = default) => throw Unexpected();

        public Task<StoreStatus> CommitBlocksAsync(string blobName, IReadOnlyList<string> blockIds, BlobAccessTier tier, CancellationToken cancellationToken = default) => throw Unexpected();

        public Task<StoreStatus> SetAccessTierAsync(string blobName, BlobAccessTier tier, CancellationToken cancellationToken = default) => throw Unexpected();

        public Task<StoreResult<BlobAccessTier>> GetAccessTierAsync(string blobName, CancellationToken cancellationToken = default) => throw Unexpected();

        public IAsyncEnumerable<BlobEntry> ListAsync(string prefix, CancellationToken cancellationToken = default) => throw Unexpected();

        public IAsyncEnumerable<string> ListTopLevelPrefixesAsync(CancellationToken cancellationToken = default) => throw Unexpected();

        private static InvalidOperationException Unexpected([System.Runtime.CompilerServices.CallerMemberName] string name = "") => new($"The versioned commit called {name} on the blob store.");
    }
}
