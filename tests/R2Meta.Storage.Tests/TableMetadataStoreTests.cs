using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Tables;

namespace R2Meta.Storage.Tests;

/// <summary>The metadata contract on Table Storage (Azurite locally; R2META_STORAGE_CONNECTION elsewhere), and what only Tables does.</summary>
public sealed class TableMetadataStoreTests : MetadataStoreContractTests
{
    private const string TablePrefix = "r2metatest";

    /// <summary>The first character of every directory index RowKey (above every object sort key).</summary>
    private const string IndexRowKeys = "\u9000";

    private readonly RequestCounter _requests = new();

    /// <summary>The store's objects table, read and written behind its back.</summary>
    private readonly TableClient _objects = new TableServiceClient(StorageTestEnvironment.ConnectionString).GetTableClient(TablePrefix + "objects");

    private readonly TableClient _uploads = new TableServiceClient(StorageTestEnvironment.ConnectionString).GetTableClient(TablePrefix + "uploads");

    protected override async Task<IMetadataStore> CreateStoreAsync()
    {
        // From a connection string: transactions go through the store's own sender (EmptyDirectorySweeperTests keeps the SDK's).
        var store = new TableMetadataStore(new TableMetadataOptions
        {
            ConnectionString = StorageTestEnvironment.ConnectionString,
            TablePrefix = TablePrefix,
            Policies = [_requests],
        });
        await store.InitializeAsync();
        return store;
    }

    /// <summary>As schema version 1 wrote it: each content header a property, user metadata a JSON property; the index entry a full copy.</summary>
    protected override async Task WritePreviousVersionObjectAsync(ObjectRecord record)
    {
        var entity = new TableEntity(record.Bucket, SortKeyCodec.Encode(record.Key))
        {
            ["SchemaVersion"] = 1,
            ["Key"] = record.Key,
            ["BlobName"] = record.BlobName,
            ["Size"] = record.Size,
            ["ObjectETag"] = record.ETag,
            ["LastModified"] = record.LastModified,
            ["StorageClass"] = record.StorageClass,
            ["UserMetadata"] = JsonSerializer.Serialize(record.Headers.UserMetadata),
            ["Checksums"] = JsonSerializer.Serialize(record.Checksums),
        };
        AddVersion1Headers(entity, record.Headers);
        await _objects.AddEntityAsync(entity);
        // The entry of a key without "/" in the root directory: index mark, level 0, sort key.
        entity.RowKey = IndexRowKeys + "\u0100" + SortKeyCodec.Encode(record.Key);
        await _objects.AddEntityAsync(entity);
    }

    protected override async Task WritePreviousVersionUploadAsync(UploadRecord upload)
    {
        var entity = new TableEntity(upload.Bucket, upload.UploadId)
        {
            ["SchemaVersion"] = 1,
            ["Key"] = upload.Key,
            ["BlobName"] = upload.BlobName,
            ["Initiated"] = upload.Initiated,
            ["OwnerId"] = upload.OwnerId,
            ["StorageClass"] = upload.StorageClass,
            ["UserMetadata"] = JsonSerializer.Serialize(upload.Headers.UserMetadata),
            ["Completing"] = upload.Completing,
        };
        AddVersion1Headers(entity, upload.Headers);
        AddIfPresent(entity, "ChecksumAlgorithm", upload.ChecksumAlgorithm);
        AddIfPresent(entity, "ChecksumType", upload.ChecksumType);
        await _uploads.AddEntityAsync(entity);
    }

    [Fact]
    public async Task PutObject_EveryHeader_StoresThemAsOneJsonPropertyOfSchemaVersion2()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await Store.PutObjectAsync(Record(bucket, "k") with { Headers = EveryHeader }, WriteCondition.IfAbsent);

        var entity = (await _objects.GetEntityAsync<TableEntity>(bucket, SortKeyCodec.Encode("k"))).Value;
        var headers = JsonNode.Parse(entity.GetString("Headers"))!;

        Assert.Equal(2, entity.GetInt32("SchemaVersion"));
        Assert.False(entity.ContainsKey("ContentType") || entity.ContainsKey("UserMetadata"));
        Assert.Equal(EveryHeader.ContentDisposition, headers["contentDisposition"]!.GetValue<string>());
        Assert.Equal("\"x\" & <y>", headers["userMetadata"]!["quote"]!.GetValue<string>());
        // Stored unescaped: quotes, '<' and non-ASCII take one character each, not six.
        Assert.Contains("caf\u00e9 & <b>", entity.GetString("Headers"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutObject_Versioned_SchemaVersion3WithItsVersionAndAHistoryRowInTheVersionsTable()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var versionId = VersionIds.New(DateTimeOffset.UtcNow);
        await Store.PutObjectAsync(Record(bucket, "k") with { VersionId = versionId, IsNullVersion = true }, WriteCondition.IfAbsent);
        await ((IVersionStore)Store).PutVersionAsync(Record(bucket, "k") with { VersionId = versionId });

        var entity = (await _objects.GetEntityAsync<TableEntity>(bucket, SortKeyCodec.Encode("k"))).Value;
        var versions = new TableServiceClient(StorageTestEnvironment.ConnectionString).GetTableClient(TablePrefix + "versions");
        var history = (await versions.GetEntityAsync<TableEntity>(bucket, VersionIds.SortKey("k", versionId))).Value;

        Assert.Equal(3, entity.GetInt32("SchemaVersion"));
        Assert.Equal(versionId, entity.GetString("VersionId"));
        Assert.True(entity.GetBoolean("NullVersion"));
        Assert.False(entity.ContainsKey("DeleteMarker"));
        Assert.Equal(3, history.GetInt32("SchemaVersion"));
        Assert.Equal("k", history.GetString("Key"));
    }

    [Fact]
    public async Task PutObject_TenThousandParts_EveryPropertyAndTheEntityFitTableStorageLimits()
    {
        // Azurite does not enforce them: Table Storage takes at most 64 KiB a property, 1 MiB an entity.
        var record = TenThousandParts(StorageTestEnvironment.UniqueBucketName(), "limits");
        await Store.PutObjectAsync(record, WriteCondition.IfAbsent);

        var entity = (await _objects.GetEntityAsync<TableEntity>(record.Bucket, SortKeyCodec.Encode(record.Key))).Value;

        var sizes = entity.ToDictionary(p => p.Key, p => p.Value switch
        {
            byte[] bytes => bytes.Length,
            string text => text.Length * 2,
            _ => 8,
        });
        Assert.All(sizes, p => Assert.True(p.Value <= 64 * 1024, $"{p.Key}: {p.Value} bytes"));
        Assert.True(sizes.Values.Sum() < 1024 * 1024 - 64 * 1024, $"{sizes.Values.Sum()} bytes");
        Assert.True(entity.Count <= 252, $"{entity.Count} properties");
    }

    [Fact]
    public async Task GetObject_PartSizesAsSchema2Json_ReadsThem()
    {
        var record = TenThousandParts(StorageTestEnvironment.UniqueBucketName(), "old-multipart") with
        {
            Checksums = new Dictionary<string, string>(),
            ChecksumType = null,
            PartsCount = 2,
            PartSizes = null,
            PartChecksums = null,
        };
        var entity = ObjectEntityMapper.ToEntity(record);
        entity["PartSizes"] = "[5242880,17]";
        await _objects.AddEntityAsync(entity);

        var got = (await Store.GetObjectAsync(record.Bucket, record.Key)).Value!;

        Assert.Equal([5_242_880L, 17L], got.PartSizes);
        Assert.Null(got.PartChecksums);
    }

    [Fact]
    public async Task PutObject_NoHeaders_StoresNoHeadersProperty()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await Store.PutObjectAsync(Record(bucket, "k"), WriteCondition.IfAbsent);

        var entity = (await _objects.GetEntityAsync<TableEntity>(bucket, SortKeyCodec.Encode("k"))).Value;

        Assert.False(entity.ContainsKey("Headers"));
        Assert.Equal(ContentHeaders.None, (await Store.GetObjectAsync(bucket, "k")).Value!.Headers);
    }

    [Fact]
    public async Task PutObject_MoreDirectoriesThanATransactionHolds_IndexesEveryOneAndDeleteRemovesThem()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var key = string.Concat(Enumerable.Repeat("d/", 150)) + "leaf";

        var put = await Store.PutObjectAsync(Record(bucket, key), WriteCondition.IfAbsent);

        Assert.Equal(StoreStatus.Ok, put.Status);
        for (var level = 0; level <= 150; level++)
        {
            var directory = string.Concat(Enumerable.Repeat("d/", level));
            var expected = level == 150 ? key : directory + "d/";
            Assert.Equal([expected], (await Store.ReadDirectoryAsync(bucket, directory, string.Empty, null, 10)).Select(e => e.Name));
        }

        Assert.Equal(StoreStatus.Ok, await Store.DeleteObjectAsync(bucket, key, put.Value!.Version!));
        Assert.Empty(await IndexRowsAsync(bucket));
    }

    [Fact]
    public async Task PutObject_TooDeepAndRefused_LeavesNoDirectoryBehind()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var key = string.Concat(Enumerable.Repeat("e/", 120)) + "leaf";

        var refused = await Store.PutObjectAsync(Record(bucket, key), WriteCondition.IfVersion("W/\"datetime'2020-01-01T00%3A00%3A00Z'\""));

        Assert.Equal(StoreStatus.PreconditionFailed, refused.Status);
        Assert.Empty(await IndexRowsAsync(bucket));
    }

    [Fact]
    public async Task DeleteObject_WrittenBeforeTheIndex_IsDeleted()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var put = await Store.PutObjectAsync(Record(bucket, "old/k"), WriteCondition.IfAbsent);
        await DeleteIndexRowsAsync(bucket, keep: _ => false);

        var stale = await Store.DeleteObjectAsync(bucket, "old/k", "W/\"datetime'2020-01-01T00%3A00%3A00Z'\"");
        var deleted = await Store.DeleteObjectAsync(bucket, "old/k", put.Value!.Version!);

        Assert.Equal(StoreStatus.PreconditionFailed, stale);
        Assert.Equal(StoreStatus.Ok, deleted);
        Assert.Equal(StoreStatus.NotFound, (await Store.GetObjectAsync(bucket, "old/k")).Status);
    }

    [Fact]
    public async Task PutObject_WrittenBeforeTheIndexThenReplaced_JoinsTheIndex()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var put = await Store.PutObjectAsync(Record(bucket, "old/k"), WriteCondition.IfAbsent);
        await DeleteIndexRowsAsync(bucket, keep: _ => false);

        var replaced = await Store.PutObjectAsync(Record(bucket, "old/k") with { Size = 5 }, WriteCondition.IfVersion(put.Value!.Version!));

        Assert.Equal(StoreStatus.Ok, replaced.Status);
        Assert.Equal(["old/"], (await Store.ReadDirectoryAsync(bucket, string.Empty, string.Empty, null, 10)).Select(e => e.Name));
        Assert.Equal(5, Assert.Single(await Store.ReadDirectoryAsync(bucket, "old/", string.Empty, null, 10)).Object!.Size);
    }

    [Fact]
    public async Task PutObject_ReturnedVersion_IsTheObjectsAndEntriesCarryNone()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();

        var put = await Store.PutObjectAsync(Record(bucket, "v/k"), WriteCondition.IfAbsent);

        Assert.Equal(put.Value!.Version, (await Store.GetObjectAsync(bucket, "v/k")).Value!.Version);
        Assert.Null(Assert.Single(await Store.ReadDirectoryAsync(bucket, "v/", string.Empty, null, 10)).Object!.Version);
    }

    [Fact]
    public async Task ReadRange_FlatScansOfABucketWithAnIndex_SeeOnlyObjects()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await Store.PutObjectAsync(Record(bucket, "a/b/c"), WriteCondition.IfAbsent);

        // What the emptiness check before DeleteBucket and the orphan sweeper read.
        var all = await Store.ReadRangeAsync(bucket, string.Empty, null, 100);
        var beyond = await Store.ReadRangeAsync(bucket, SortKeyCodec.StartAfter("a/b/c"), null, 100);
        var aboveAll = await Store.ReadRangeAsync(bucket, string.Empty, IndexRowKeys + "\uFFFF", 100);

        Assert.Equal(["a/b/c"], all.Select(r => r.Key));
        Assert.Empty(beyond);
        Assert.Equal(["a/b/c"], aboveAll.Select(r => r.Key));
        Assert.NotEmpty(await IndexRowsAsync(bucket));
    }

    [Fact]
    public async Task DeleteBucket_WithLeftoverDirectoryRows_RemovesThem()
    {
        var bucket = IndexedBucket();
        await Store.CreateBucketAsync(bucket);
        await Store.PutObjectAsync(Record(bucket.Name, "left/over"), WriteCondition.IfAbsent);
        // As if a delete died between its commit and its cleanup: the object and its entry are gone, "left/" is not.
        await _objects.DeleteEntityAsync(bucket.Name, SortKeyCodec.Encode("left/over"));
        await DeleteIndexRowsAsync(bucket.Name, keep: row => row.ContainsKey("Directory"));
        Assert.Single(await IndexRowsAsync(bucket.Name));

        Assert.Equal(StoreStatus.Ok, await Store.DeleteBucketAsync(bucket.Name));

        Assert.Empty(await IndexRowsAsync(bucket.Name));
    }

    [Fact]
    public async Task PutAndDelete_RequestsPerOperation_OneForAPutOneOrTwoForADeleteUnlessADirectoryEmpties()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var kept = await Store.PutObjectAsync(Record(bucket, "p/q/kept"), WriteCondition.IfAbsent);

        var put = await CountAsync(() => Store.PutObjectAsync(Record(bucket, "p/q/gone"), WriteCondition.IfAbsent));
        var top = await CountAsync(() => Store.PutObjectAsync(Record(bucket, "top"), WriteCondition.IfAbsent));
        var deleteTop = await CountAsync(() => Store.DeleteObjectAsync(bucket, "top", top.Result.Value!.Version!));
        var deleteKeepingItsDirectory = await CountAsync(() => Store.DeleteObjectAsync(bucket, "p/q/gone", put.Result.Value!.Version!));
        // The last object below "p/q/" and "p/": each emptied directory costs 4 more (check, read row, check, delete), then "" stops.
        var deleteEmptyingTwo = await CountAsync(() => Store.DeleteObjectAsync(bucket, "p/q/kept", kept.Value!.Version!));

        Assert.Equal(1, put.Requests);
        Assert.Equal(1, top.Requests);
        Assert.Equal(1, deleteTop.Requests);
        Assert.Equal(2, deleteKeepingItsDirectory.Requests);
        Assert.Equal(9, deleteEmptyingTwo.Requests);
        Assert.Empty(await IndexRowsAsync(bucket));
    }

    private async Task<(T Result, int Requests)> CountAsync<T>(Func<Task<T>> operation)
    {
        var before = _requests.Count;
        var result = await operation();
        return (result, _requests.Count - before);
    }

    private async Task<List<TableEntity>> IndexRowsAsync(string bucket)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _objects.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {IndexRowKeys}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task DeleteIndexRowsAsync(string bucket, Func<TableEntity, bool> keep)
    {
        foreach (var row in await IndexRowsAsync(bucket))
        {
            if (!keep(row))
            {
                await _objects.DeleteEntityAsync(bucket, row.RowKey, ETag.All);
            }
        }
    }

    private static void AddVersion1Headers(TableEntity entity, ContentHeaders headers)
    {
        (string Name, string? Value)[] properties =
        [
            ("ContentType", headers.ContentType),
            ("ContentEncoding", headers.ContentEncoding),
            ("ContentDisposition", headers.ContentDisposition),
            ("ContentLanguage", headers.ContentLanguage),
            ("CacheControl", headers.CacheControl),
            ("Expires", headers.Expires),
        ];
        foreach (var (name, value) in properties)
        {
            AddIfPresent(entity, name, value);
        }
    }

    private static void AddIfPresent(TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }

    private static BucketRecord IndexedBucket() => new()
    {
        Name = StorageTestEnvironment.UniqueBucketName(),
        OwnerId = "owner-t",
        CreatedAt = DateTimeOffset.UnixEpoch,
        HasDirectoryIndex = true,
    };

    private static ObjectRecord Record(string bucket, string key) => new()
    {
        Bucket = bucket,
        Key = key,
        BlobName = Guid.NewGuid().ToString("N"),
        Size = 1,
        ETag = "\"e\"",
        LastModified = DateTimeOffset.UnixEpoch,
    };

    /// <summary>Counts the HTTP requests the store sends (each retry too).</summary>
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
