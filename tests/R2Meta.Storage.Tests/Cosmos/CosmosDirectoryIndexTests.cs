using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Cosmos;
using static R2Meta.Storage.Tests.Cosmos.CosmosStoreTests;

namespace R2Meta.Storage.Tests.Cosmos;

/// <summary>
/// What only the Cosmos adapter's directory index has: its documents share the objects container, so
/// flat reads must skip them; documents from before the index; what each write costs in requests.
/// </summary>
public sealed partial class CosmosDirectoryIndexTests(CosmosStoreFixture fixture) : IClassFixture<CosmosStoreFixture>
{
    private CosmosMetadataStore Store => fixture.Store;

    private Container Objects => CosmosTestServer.Client.GetContainer(fixture.Database, CosmosModel.Objects.Name);

    [Fact]
    public async Task PutAndDelete_NestedKey_CostFixedRequestCounts()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var sibling = await Store.PutObjectAsync(NewObject(bucket, "a/b/d"), WriteCondition.IfAbsent);

        // Two directory upserts before the commit, the commit, two upserts after it.
        var (put, putRequests) = await CountAsync(() => Store.PutObjectAsync(NewObject(bucket, "a/b/c"), WriteCondition.IfAbsent));
        // The delete, then one emptiness query: "a/b/" still holds "a/b/d".
        var (deleted, deleteRequests) = await CountAsync(() => Store.DeleteObjectAsync(bucket, "a/b/c", put.Value!.Version!));
        // The delete, then per emptied directory: emptiness query, read, emptiness query, conditional delete.
        var (_, lastDeleteRequests) = await CountAsync(() => Store.DeleteObjectAsync(bucket, "a/b/d", sibling.Value!.Version!));
        var (top, topPutRequests) = await CountAsync(() => Store.PutObjectAsync(NewObject(bucket, "top"), WriteCondition.IfAbsent));
        var (_, topDeleteRequests) = await CountAsync(() => Store.DeleteObjectAsync(bucket, "top", top.Value!.Version!));

        Assert.Equal(StoreStatus.Ok, deleted);
        Assert.Equal((5, 2, 9, 1, 1), (putRequests, deleteRequests, lastDeleteRequests, topPutRequests, topDeleteRequests));
        Assert.Equal(0, await CountDocumentsAsync(bucket));
    }

    [Fact]
    public async Task ReadRangeAsync_BucketHoldingOnlyADirectoryDocument_IsEmptyAndDeleteBucketRemovesIt()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await Store.CreateBucketAsync(new BucketRecord { Name = bucket, OwnerId = "o", CreatedAt = DateTimeOffset.UnixEpoch, HasDirectoryIndex = true });
        // What a put that crashed after its first upsert leaves behind.
        using (var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(DirectoryDocument.For(bucket, "left/over/"))))
        using (var response = await Objects.CreateItemStreamAsync(body, fixture.ObjectPartitionKey(bucket, "left/over/")))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var range = await Store.ReadRangeAsync(bucket, string.Empty, null, 10);
        var deleted = await Store.DeleteBucketAsync(bucket);

        Assert.Empty(range);
        Assert.Equal(StoreStatus.Ok, deleted);
        Assert.Equal(0, await CountDocumentsAsync(bucket));
    }

    [Fact]
    public async Task DeleteObjectAsync_DocumentWrittenBeforeTheIndex_DeletesIt()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await InsertRawObjectAsync(fixture, bucket, "old/dir/k", CosmosModel.SchemaVersion);
        var current = await Store.GetObjectAsync(bucket, "old/dir/k");

        var deleted = await Store.DeleteObjectAsync(bucket, "old/dir/k", current.Value!.Version!);

        Assert.Equal(StoreStatus.Ok, deleted);
        Assert.Equal(StoreStatus.NotFound, (await Store.GetObjectAsync(bucket, "old/dir/k")).Status);
        Assert.Equal(0, await CountDocumentsAsync(bucket));
    }

    [Fact]
    public async Task GetBucketAsync_DocumentWrittenBeforeTheIndex_HasNoDirectoryIndex()
    {
        var name = StorageTestEnvironment.UniqueBucketName();
        var document = new JsonObject { ["id"] = name, ["ownerId"] = "o", ["createdAt"] = "2020-01-01T00:00:00+00:00", ["schemaVersion"] = 1 };
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
        using var response = await CosmosTestServer.Client.GetContainer(fixture.Database, CosmosModel.Buckets.Name).CreateItemStreamAsync(body, new PartitionKey(name));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var read = await Store.GetBucketAsync(name);

        Assert.False(read.Value!.HasDirectoryIndex);
    }

    [Fact]
    public async Task PutObjectAsync_ReplacingANestedVersion_IsTheCommitAlone()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var first = await Store.PutObjectAsync(NewObject(bucket, "r/s/k"), WriteCondition.IfAbsent);

        // The document it replaces keeps "r/" and "r/s/" standing: no directory is written again.
        var (replaced, requests) = await CountAsync(() => Store.PutObjectAsync(NewObject(bucket, "r/s/k"), WriteCondition.IfVersion(first.Value!.Version!)));

        Assert.Equal(StoreStatus.Ok, replaced.Status);
        Assert.Equal(1, requests);
        Assert.Equal([ListEntry.Prefix("r/")], await Store.ReadDirectoryAsync(bucket, string.Empty, string.Empty, null, 10));
        Assert.Equal([ListEntry.Prefix("r/s/")], await Store.ReadDirectoryAsync(bucket, "r/", string.Empty, null, 10));
        Assert.Equal(StoreStatus.Ok, await Store.DeleteObjectAsync(bucket, "r/s/k", replaced.Value!.Version!));
        Assert.Equal(0, await CountDocumentsAsync(bucket));
    }

    [Fact]
    public async Task PutObjectAsync_RefusedCommit_LeavesNoDirectoryItCreated()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();

        var refused = await Store.PutObjectAsync(NewObject(bucket, "n/m/k"), WriteCondition.IfVersion("\"gone\""));

        Assert.Equal(StoreStatus.PreconditionFailed, refused.Status);
        Assert.Empty(await Store.ReadDirectoryAsync(bucket, string.Empty, string.Empty, null, 10));
        Assert.Equal(0, await CountDocumentsAsync(bucket));
    }

    [Fact]
    public async Task DeleteObjectAsync_LastInADirectoryBeyondTheSortableBytes_RemovesItWhileASiblingStays()
    {
        // Both subdirectories lie in one overflow group at one level: only their names tell them apart.
        var parent = new string('x', SortKeyCodec.MaxSortableBytes) + "/";
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var put = await Store.PutObjectAsync(NewObject(bucket, parent + "a/k"), WriteCondition.IfAbsent);
        await Store.PutObjectAsync(NewObject(bucket, parent + "b/k"), WriteCondition.IfAbsent);

        await Store.DeleteObjectAsync(bucket, parent + "a/k", put.Value!.Version!);
        var entries = await Store.ReadDirectoryAsync(bucket, parent, string.Empty, null, 10);

        Assert.Equal([parent + "b/"], entries.Select(e => e.Name));
    }

    [Fact]
    public void Objects_IndexingPolicy_ServesEveryQueryOfTheAdapter()
    {
        var directoryQuery = DirectoryIndex.Query("b", "d/", string.Empty, null, 10)!.QueryText;
        string[] queries = [CosmosMetadataStore.RangeQuery, CosmosMetadataStore.OpenRangeQuery, CosmosMetadataStore.ListingRangeQuery, CosmosMetadataStore.ListingOpenRangeQuery, CosmosMetadataStore.DirectoriesOfBucketQuery, directoryQuery];
        var model = CosmosModel.Objects;

        foreach (var query in queries)
        {
            var where = query[query.IndexOf(" WHERE ", StringComparison.Ordinal)..];
            foreach (var property in Properties().Matches(where).Select(m => m.Groups[1].Value).Distinct())
            {
                Assert.Contains($"/{property}/?", model.IncludedPaths);
            }

            var orderBy = query.Contains(" ORDER BY ", StringComparison.Ordinal)
                ? Properties().Matches(query[query.IndexOf(" ORDER BY ", StringComparison.Ordinal)..]).Select(m => "/" + m.Groups[1].Value).ToList()
                : [];
            if (orderBy.Count > 1)
            {
                Assert.Contains(model.CompositeIndexes, index => index.SequenceEqual(orderBy));
            }
        }
    }

    [GeneratedRegex(@"\bc\.(\w+)")]
    private static partial Regex Properties();

    private async Task<(T Result, long Requests)> CountAsync<T>(Func<Task<T>> operation)
    {
        var before = Store.RequestCount;
        var result = await operation();
        return (result, Store.RequestCount - before);
    }

    private async Task<int> CountDocumentsAsync(string bucket)
    {
        var query = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.bucket = @bucket").WithParameter("@bucket", bucket);
        using var iterator = Objects.GetItemQueryIterator<int>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(bucket) });
        var count = 0;
        while (iterator.HasMoreResults)
        {
            count += (await iterator.ReadNextAsync()).Sum();
        }

        return count;
    }
}
