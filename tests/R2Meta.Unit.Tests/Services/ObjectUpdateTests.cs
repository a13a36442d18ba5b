using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Services;

/// <summary>
/// <see cref="ObjectCommitter.UpdateAsync"/> (PutObjectTagging's write) against a store where another writer commits
/// between the update's read and its write: the update never writes the version it read over the newer one.
/// </summary>
public sealed class ObjectUpdateTests
{
    private static readonly Tag[] Tags = [new("t", "1")];

    [Fact]
    public async Task UpdateAsync_PutCommitsInBetween_PutKeptAndTagsGoOntoIt()
    {
        var store = new OneKeyStore(Record("old-blob", "\"old\"")) { BeforeFirstWrite = s => s.Overwrite(Record("new-blob", "\"new\"")) };
        var committer = NewCommitter(store);

        var updated = await committer.UpdateAsync("b", "k", r => r with { Tags = Tags });

        Assert.True(updated.IsOk);
        Assert.Equal("new-blob", store.Current!.BlobName);
        Assert.Equal("\"new\"", store.Current.ETag);
        Assert.Equal(Tags, store.Current.Tags);
        Assert.Equal(2, store.Writes);
    }

    [Fact]
    public async Task UpdateAsync_DeleteCommitsInBetween_NoSuchKeyAndNothingRecreated()
    {
        var store = new OneKeyStore(Record("old-blob", "\"old\"")) { BeforeFirstWrite = s => s.Overwrite(null) };
        var committer = NewCommitter(store);

        var updated = await committer.UpdateAsync("b", "k", r => r with { Tags = Tags });

        Assert.Equal(Failure.NoSuchKey, updated.Error?.Failure);
        Assert.Null(store.Current);
    }

    [Fact]
    public async Task UpdateAsync_NoRace_OneReadOneWriteSameBlobAndETag()
    {
        var store = new OneKeyStore(Record("blob", "\"e\""));

        var updated = await NewCommitter(store).UpdateAsync("b", "k", r => r with { Tags = Tags });

        Assert.Equal("blob", updated.Value.BlobName);
        Assert.Equal("\"e\"", updated.Value.ETag);
        Assert.Equal(1, store.Writes);
    }

    private static ObjectCommitter NewCommitter(IMetadataStore store) =>
        new(store, DispatchProxy.Create<IVersionStore, UnusedVersionsProxy>(), DispatchProxy.Create<IBlobStore, UnusedProxy>(), TimeProvider.System, NullLogger<ObjectCommitter>.Instance);

    private static ObjectRecord Record(string blob, string etag) => new()
    {
        Bucket = "b", Key = "k", BlobName = blob, Size = 1, ETag = etag, LastModified = DateTimeOffset.UnixEpoch,
    };

    /// <summary>The version history: an unversioned key's update never touches it.</summary>
    public class UnusedVersionsProxy : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException($"{targetMethod?.Name} called on the version store by an unversioned update.");
    }

    /// <summary>The blob store: an update of metadata must never touch it.</summary>
    public class UnusedProxy : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException($"{targetMethod?.Name} called on the blob store by a metadata update.");
    }

    /// <summary>One object's document with versions; <see cref="BeforeFirstWrite"/> lets another writer commit first.</summary>
    private sealed class OneKeyStore(ObjectRecord initial) : IMetadataStore
    {
        private int _version;

        public ObjectRecord? Current { get; private set; } = initial with { Version = "0" };

        public Action<OneKeyStore>? BeforeFirstWrite { get; init; }

        public int Writes { get; private set; }

        public void Overwrite(ObjectRecord? record) => Current = record is null ? null : record with { Version = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture) };

        public Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
            Task.FromResult(Current is { } current ? StoreResult<ObjectRecord>.Ok(current) : StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound));

        public Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default)
        {
            if (Writes++ == 0)
            {
                BeforeFirstWrite?.Invoke(this);
            }

            if (condition.Kind != WriteConditionKind.IfVersion || Current?.Version != condition.Version)
            {
                return Task.FromResult(StoreResult<ObjectRecord>.Fail(StoreStatus.PreconditionFailed));
            }

            Overwrite(record);
            return Task.FromResult(StoreResult<ObjectRecord>.Ok(Current!));
        }

        public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StoreResult<BucketRecord>> ReplaceBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, IReadOnlyList<R2Meta.Domain.Notifications.PendingEvent>? pendingEvents = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<ListEntry>> ReadDirectoryAsync(string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task PruneDirectoryAsync(string bucket, string directory, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
