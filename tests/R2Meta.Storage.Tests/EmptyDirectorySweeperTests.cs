using Azure;
using Azure.Data.Tables;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Maintenance;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Blobs;
using R2Meta.Storage.Cosmos;
using R2Meta.Storage.Tables;
using R2Meta.Storage.Tests.Cosmos;
using static R2Meta.Storage.Tests.Cosmos.CosmosStoreTests;

namespace R2Meta.Storage.Tests;

/// <summary>
/// The empty-directory sweeper on each metadata backend (and Blob Storage, which names the buckets):
/// directories a delete that died before its cleanup left in the index go; every other entry stays.
/// </summary>
public abstract class EmptyDirectorySweeperTests : IAsyncLifetime
{
    private readonly string _container = "r2meta-sweep-" + Guid.NewGuid().ToString("N");
    private AzureBlobStore _blobs = null!;

    protected abstract IMetadataStore Store { get; }

    /// <summary>Deletes the object's record and its index entry behind the store's back, as a delete that died right after its commit.</summary>
    protected abstract Task DeleteWithoutCleanupAsync(string bucket, string key);

    public virtual async Task InitializeAsync()
    {
        _blobs = new AzureBlobStore(new BlobStoreOptions { ConnectionString = StorageTestEnvironment.ConnectionString, ContainerName = _container });
        await _blobs.InitializeAsync();
    }

    public virtual Task DisposeAsync() =>
        new Azure.Storage.Blobs.BlobContainerClient(StorageTestEnvironment.ConnectionString, _container).DeleteIfExistsAsync();

    [Fact]
    public async Task Sweep_DirectoryLeftByACrashedDelete_PrunesItAndKeepsTheRest()
    {
        var bucket = await IndexedBucketAsync();
        foreach (var key in new[] { "a/b/c", "a/x", "k/l/m", "top" })
        {
            await Store.PutObjectAsync(NewObject(bucket, key), WriteCondition.IfAbsent);
        }

        await DeleteWithoutCleanupAsync(bucket, "a/b/c");
        Assert.Equal(["a/b/", "a/x"], await NamesAsync(bucket, "a/"));
        // The sweeper finds buckets by their blobs.
        await _blobs.WriteAsync(bucket + "/blob", new MemoryStream([1]), BlobAccessTier.Hot);

        var result = await Sweeper().SweepAsync();

        Assert.Equal(["a/x"], await NamesAsync(bucket, "a/"));
        Assert.Equal(["a/", "k/", "top"], await NamesAsync(bucket, string.Empty));
        Assert.Equal(["k/l/"], await NamesAsync(bucket, "k/"));
        Assert.Equal(["k/l/m"], await NamesAsync(bucket, "k/l/"));
        Assert.Equal((1, 0), (result.Buckets, result.FailedBuckets));
        Assert.Equal(1, result.Pruned);
    }

    [Fact]
    public async Task SweepBucket_EmptyChainAmongManySiblings_PrunesTheChainAcrossPages()
    {
        var bucket = await IndexedBucketAsync();
        var kept = Enumerable.Range(0, 5).Select(i => $"d{i}/k").ToList();
        foreach (var key in kept.Append("e/f/g/h").Append("d2/z/y"))
        {
            await Store.PutObjectAsync(NewObject(bucket, key), WriteCondition.IfAbsent);
        }

        await DeleteWithoutCleanupAsync(bucket, "e/f/g/h");
        await DeleteWithoutCleanupAsync(bucket, "d2/z/y");
        Assert.Contains("e/", await NamesAsync(bucket, string.Empty));

        // Pages of 2: the walk resumes across page ends at every level.
        var (directories, pruned) = await Sweeper(pageSize: 2).SweepBucketAsync(bucket);

        Assert.Equal(["d0/", "d1/", "d2/", "d3/", "d4/"], await NamesAsync(bucket, string.Empty));
        Assert.Equal(["d2/k"], await NamesAsync(bucket, "d2/"));
        Assert.Empty(await NamesAsync(bucket, "e/"));
        Assert.Equal(2, pruned);
        // d0/ to d4/ and e/, then d2/z/, e/f/ and e/f/g/.
        Assert.Equal(9, directories);

        // A second run finds nothing to do.
        Assert.Equal((5, 0), await Sweeper().SweepBucketAsync(bucket));
    }

    private EmptyDirectorySweeper Sweeper(int pageSize = 1000) =>
        new(_blobs, Store, new EmptyDirectorySweeperOptions { PageSize = pageSize }, NullLogger<EmptyDirectorySweeper>.Instance);

    private async Task<string> IndexedBucketAsync()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await Store.CreateBucketAsync(new BucketRecord { Name = bucket, OwnerId = "o", CreatedAt = DateTimeOffset.UnixEpoch, HasDirectoryIndex = true });
        return bucket;
    }

    private async Task<List<string>> NamesAsync(string bucket, string directory) =>
        [.. (await Store.ReadDirectoryAsync(bucket, directory, string.Empty, null, 100)).Select(e => e.Name)];
}

public sealed class TableEmptyDirectorySweeperTests : EmptyDirectorySweeperTests
{
    private const string TablePrefix = "r2metasweep";

    private readonly TableClient _objects = new TableServiceClient(StorageTestEnvironment.ConnectionString).GetTableClient(TablePrefix + "objects");
    private TableMetadataStore _store = null!;

    protected override IMetadataStore Store => _store;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _store = new TableMetadataStore(
            new TableServiceClient(StorageTestEnvironment.ConnectionString, TableMetadataStore.CreateClientOptions()),
            new TableMetadataOptions { TablePrefix = TablePrefix });
        await _store.InitializeAsync();
    }

    protected override async Task DeleteWithoutCleanupAsync(string bucket, string key)
    {
        await _objects.DeleteEntityAsync(bucket, SortKeyCodec.Encode(key), ETag.All);
        // The object's entry: the index row (RowKey from U+9000 on) that copies its "Key".
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {"\u9000"} and Key eq {key}");
        await foreach (var row in _objects.QueryAsync<TableEntity>(filter))
        {
            await _objects.DeleteEntityAsync(bucket, row.RowKey, ETag.All);
        }
    }
}

public sealed class CosmosEmptyDirectorySweeperTests(CosmosStoreFixture fixture) : EmptyDirectorySweeperTests, IClassFixture<CosmosStoreFixture>
{
    protected override IMetadataStore Store => fixture.Store;

    // An object document is also its own index entry.
    protected override async Task DeleteWithoutCleanupAsync(string bucket, string key)
    {
        var objects = CosmosTestServer.Client.GetContainer(fixture.Database, CosmosModel.Objects.Name);
        using var response = await objects.DeleteItemStreamAsync(ObjectDocument.IdOf(key), new ObjectPartitioning(ObjectsLayout.Hierarchical).Of(bucket, key));
        Assert.True(response.IsSuccessStatusCode, $"deleting {key}: {response.StatusCode}");
    }
}
