using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Cosmos;

namespace R2Meta.Storage.Tests.Cosmos;

/// <summary>The contract and the Cosmos-only tests on the default objects layout (<see cref="ObjectsLayout.Hierarchical"/>).</summary>
public sealed class CosmosMetadataStoreTests(CosmosStoreFixture fixture) : CosmosStoreTests(fixture), IClassFixture<CosmosStoreFixture>
{
    [Fact]
    public void ObjectsLayout_NewContainer_IsHierarchical() => Assert.Equal(ObjectsLayout.Hierarchical, CosmosStore.ObjectsLayout);
}

/// <summary>The same on an objects container created before layout 2 (partition key /bucket), which keeps working.</summary>
public sealed class CosmosBucketLayoutStoreTests(CosmosBucketLayoutStoreFixture fixture) : CosmosStoreTests(fixture), IClassFixture<CosmosBucketLayoutStoreFixture>
{
    [Fact]
    public void ObjectsLayout_ConfiguredBucket_IsBucket() => Assert.Equal(ObjectsLayout.Bucket, CosmosStore.ObjectsLayout);
}

/// <summary>
/// The metadata contract on Cosmos DB, plus what only this adapter has (layout, schema versions, charges), once per
/// objects layout. Runs against R2META_COSMOS_ENDPOINT / R2META_COSMOS_KEY, by default a local emulator on
/// https://127.0.0.1:8081 with the emulator's well-known key.
/// </summary>
public abstract class CosmosStoreTests(CosmosStoreFixture fixture) : MetadataStoreContractTests
{
    protected CosmosMetadataStore CosmosStore => fixture.Store;

    protected override Task<IMetadataStore> CreateStoreAsync() => Task.FromResult<IMetadataStore>(fixture.Store);

    [Theory]
    [InlineData("dir/sub/file.txt")]
    [InlineData("back\\slash?query#fragment")]
    [InlineData("%2F..%5C")]
    [InlineData(" leading and trailing ")]
    public async Task GetObjectAsync_KeyWithCharactersCosmosIdsForbid_ReadsItsRecord(string key)
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await CosmosStore.PutObjectAsync(NewObject(bucket, key), WriteCondition.IfAbsent);

        var read = await CosmosStore.GetObjectAsync(bucket, key);

        Assert.Equal(StoreStatus.Ok, read.Status);
        Assert.Equal(key, read.Value!.Key);
    }

    [Fact]
    public async Task GetObjectAsync_DocumentOfPreviousSchemaVersion_Reads()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await InsertRawObjectAsync(fixture, bucket, "old", CosmosModel.PreviousSchemaVersion);

        var read = await CosmosStore.GetObjectAsync(bucket, "old");
        var listed = await CosmosStore.ReadRangeAsync(bucket, string.Empty, null, 10);

        Assert.Equal(StoreStatus.Ok, read.Status);
        Assert.Equal(("blob-old", "STANDARD"), (read.Value!.BlobName, read.Value.StorageClass));
        Assert.Equal(ContentHeaders.None, read.Value.Headers);
        Assert.Equal(["old"], listed.Select(r => r.Key));
    }

    /// <summary>As schema version 1 wrote it: each content header a top-level property, user metadata an object.</summary>
    protected override Task WritePreviousVersionObjectAsync(ObjectRecord record)
    {
        var document = new JsonObject
        {
            ["id"] = ObjectDocument.IdOf(record.Key),
            ["bucket"] = record.Bucket,
            ["key"] = record.Key,
            ["shard"] = ObjectPartitioning.ShardOf(record.Key),
            ["sortKey"] = SortKeyCodec.Encode(record.Key),
            ["level"] = record.Key.Count(c => c == '/'),
            ["schemaVersion"] = 1,
            ["blobName"] = record.BlobName,
            ["size"] = record.Size,
            ["s3ETag"] = record.ETag,
            ["lastModified"] = record.LastModified,
            ["storageClass"] = record.StorageClass,
        };
        AddVersion1Headers(document, record.Headers);
        return CreateRawAsync(CosmosModel.Objects.Name, fixture.ObjectPartitionKey(record.Bucket, record.Key), document);
    }

    protected override Task WritePreviousVersionUploadAsync(UploadRecord upload)
    {
        var document = new JsonObject
        {
            ["id"] = "upload:" + upload.UploadId,
            ["type"] = "upload",
            ["bucket"] = upload.Bucket,
            ["uploadId"] = upload.UploadId,
            ["key"] = upload.Key,
            ["schemaVersion"] = 1,
            ["blobName"] = upload.BlobName,
            ["initiated"] = upload.Initiated,
            ["initiatedMs"] = upload.Initiated.ToUnixTimeMilliseconds(),
            ["ownerId"] = upload.OwnerId,
            ["storageClass"] = upload.StorageClass,
            ["checksumAlgorithm"] = upload.ChecksumAlgorithm,
            ["checksumType"] = upload.ChecksumType,
            ["completing"] = upload.Completing,
        };
        AddVersion1Headers(document, upload.Headers);
        return CreateRawAsync(CosmosModel.Uploads.Name, new PartitionKey(upload.Bucket), document);
    }

    [Fact]
    public async Task PutObjectAsync_EveryHeader_StoresThemAsOneSubDocumentOfSchemaVersion2()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await CosmosStore.PutObjectAsync(NewObject(bucket, "k") with { Headers = EveryHeader }, WriteCondition.IfAbsent);

        var document = await ReadRawAsync(CosmosModel.Objects.Name, fixture.ObjectPartitionKey(bucket, "k"), ObjectDocument.IdOf("k"));

        Assert.Equal(2, document["schemaVersion"]!.GetValue<int>());
        Assert.Null(document["contentType"]);
        Assert.Null(document["userMetadata"]);
        Assert.Equal(EveryHeader.ContentType, document["headers"]!["contentType"]!.GetValue<string>());
        Assert.Equal(EveryHeader.Expires, document["headers"]!["expires"]!.GetValue<string>());
        Assert.Equal("\"x\" & <y>", document["headers"]!["userMetadata"]!["quote"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutObjectAsync_NoHeaders_StoresNoHeadersSubDocument()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await CosmosStore.PutObjectAsync(NewObject(bucket, "k"), WriteCondition.IfAbsent);

        var document = await ReadRawAsync(CosmosModel.Objects.Name, fixture.ObjectPartitionKey(bucket, "k"), ObjectDocument.IdOf("k"));

        Assert.Null(document["headers"]);
        Assert.Equal(ContentHeaders.None, (await CosmosStore.GetObjectAsync(bucket, "k")).Value!.Headers);
    }

    [Fact]
    public async Task GetObjectAsync_DocumentOfNewerSchemaVersion_Throws()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await InsertRawObjectAsync(fixture, bucket, "new", CosmosModel.VersionedSchemaVersion + 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => CosmosStore.GetObjectAsync(bucket, "new"));
    }

    [Fact]
    public async Task InitializeAsync_Again_KeepsContainersOfTheModel()
    {
        await CosmosStore.InitializeAsync();

        var database = CosmosTestServer.Client.GetDatabase(fixture.Database);
        foreach (var model in CosmosModel.Containers.Select(c => c == CosmosModel.Objects ? new ObjectPartitioning(CosmosStore.ObjectsLayout).Container : c))
        {
            var properties = (await database.GetContainer(model.Name).ReadContainerAsync()).Resource;
            Assert.Equal(model.PartitionKeyPaths, properties.PartitionKeyPaths);
        }
    }

    [Fact]
    public async Task ListBucketsAsync_ObjectsContainerGone_StillAnswers()
    {
        var database = CosmosTestServer.NewDatabaseName();
        try
        {
            using var store = new CosmosMetadataStore(CosmosTestServer.Options(database));
            await store.InitializeAsync();
            await store.CreateBucketAsync(new BucketRecord { Name = "b1", OwnerId = "o1", CreatedAt = DateTimeOffset.UnixEpoch });
            await CosmosTestServer.Client.GetContainer(database, CosmosModel.Objects.Name).DeleteContainerAsync();

            var listed = await store.ListBucketsAsync("o1");

            Assert.Equal(["b1"], listed.Select(b => b.Name));
        }
        finally
        {
            await CosmosTestServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task TotalRequestCharge_AfterPointOperations_Grows()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var before = CosmosStore.TotalRequestCharge;

        await CosmosStore.PutObjectAsync(NewObject(bucket, "k"), WriteCondition.IfAbsent);
        await CosmosStore.GetObjectAsync(bucket, "k");
        await CosmosStore.GetObjectAsync(bucket, "missing");

        // Every Cosmos response, a 404 included, costs at least one request unit.
        Assert.True(CosmosStore.TotalRequestCharge >= before + 3, $"{before} -> {CosmosStore.TotalRequestCharge}");
        Assert.True(CosmosStore.LastRequestCharge > 0);
    }

    [Fact]
    public void ToContainerProperties_EveryContainer_CarriesTheModel()
    {
        foreach (var model in CosmosModel.Containers)
        {
            var properties = model.ToContainerProperties();

            Assert.Equal(model.Name, properties.Id);
            Assert.Equal(model.PartitionKeyPaths, properties.PartitionKeyPaths);
            Assert.Equal(model.IncludedPaths, properties.IndexingPolicy.IncludedPaths.Select(p => p.Path));
            Assert.Equal(model.ExcludedPaths, properties.IndexingPolicy.ExcludedPaths.Select(p => p.Path));
            Assert.Equal(model.CompositeIndexes, properties.IndexingPolicy.CompositeIndexes.Select(i => i.Select(p => p.Path)));
            Assert.All(properties.IndexingPolicy.CompositeIndexes.SelectMany(i => i), p => Assert.Equal(CompositePathSortOrder.Ascending, p.Order));
        }
    }

    [Theory]
    [InlineData(null, ConnectionMode.Gateway)]
    [InlineData("", ConnectionMode.Gateway)]
    [InlineData("Gateway", ConnectionMode.Gateway)]
    [InlineData("direct", ConnectionMode.Direct)]
    public void ParseConnectionMode_KnownValue_Parses(string? value, ConnectionMode expected) =>
        Assert.Equal(expected, CosmosMetadataOptions.ParseConnectionMode(value));

    [Theory]
    [InlineData("tcp")]
    [InlineData("7")]
    public void ParseConnectionMode_UnknownValue_Throws(string value) =>
        Assert.Throws<ArgumentException>(() => CosmosMetadataOptions.ParseConnectionMode(value));

    internal static ObjectRecord NewObject(string bucket, string key) => new()
    {
        Bucket = bucket,
        Key = key,
        BlobName = Guid.NewGuid().ToString("N"),
        Size = 1,
        ETag = "\"0cc175b9c0f1b6a831c399e269772661\"",
        LastModified = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
    };

    private static void AddVersion1Headers(JsonObject document, ContentHeaders headers)
    {
        document["contentType"] = headers.ContentType;
        document["contentEncoding"] = headers.ContentEncoding;
        document["contentDisposition"] = headers.ContentDisposition;
        document["contentLanguage"] = headers.ContentLanguage;
        document["cacheControl"] = headers.CacheControl;
        document["expires"] = headers.Expires;
        document["userMetadata"] = headers.UserMetadata.Count == 0 ? null : new JsonObject(headers.UserMetadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value)));
        foreach (var absent in document.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            document.Remove(absent);
        }
    }

    private async Task CreateRawAsync(string container, PartitionKey partitionKey, JsonObject document)
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
        using var response = await CosmosTestServer.Client.GetContainer(fixture.Database, container).CreateItemStreamAsync(body, partitionKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<JsonNode> ReadRawAsync(string container, PartitionKey partitionKey, string id)
    {
        using var response = await CosmosTestServer.Client.GetContainer(fixture.Database, container).ReadItemStreamAsync(id, partitionKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonNode.ParseAsync(response.Content))!;
    }

    /// <summary>
    /// Writes an object document as a writer of another schema version would have, past the adapter
    /// (also as one from before the directory index: no level, no directory documents).
    /// </summary>
    internal static async Task InsertRawObjectAsync(CosmosStoreFixture fixture, string bucket, string key, int schemaVersion)
    {
        var document = new JsonObject
        {
            ["id"] = ObjectDocument.IdOf(key),
            ["bucket"] = bucket,
            ["key"] = key,
            ["shard"] = ObjectPartitioning.ShardOf(key),
            ["sortKey"] = SortKeyCodec.Encode(key),
            ["schemaVersion"] = schemaVersion,
            ["blobName"] = "blob-old",
            ["size"] = 5,
            ["s3ETag"] = "\"x\"",
            ["lastModified"] = "2020-01-01T00:00:00+00:00",
        };
        var container = CosmosTestServer.Client.GetContainer(fixture.Database, CosmosModel.Objects.Name);
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
        using var response = await container.CreateItemStreamAsync(body, fixture.ObjectPartitionKey(bucket, key));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

/// <summary>One initialized store per test class, in a database of its own that is dropped afterwards; objects layout as configured by default.</summary>
public class CosmosStoreFixture : IAsyncLifetime
{
    private CosmosMetadataStore? _store;

    public string Database { get; } = CosmosTestServer.NewDatabaseName();

    public CosmosMetadataStore Store => _store ?? throw new InvalidOperationException("The fixture has not been initialized.");

    /// <summary>The layout the fixture configures (null: the default, detect or create hierarchical).</summary>
    protected virtual ObjectsLayout? Layout => null;

    /// <summary>The partition key of a key's documents in this fixture's objects container, for writes past the adapter.</summary>
    internal PartitionKey ObjectPartitionKey(string bucket, string key) => new ObjectPartitioning(Store.ObjectsLayout).Of(bucket, key);

    public async Task InitializeAsync()
    {
        _store = new CosmosMetadataStore(CosmosTestServer.Options(Database) with { ObjectsLayout = Layout });
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        _store?.Dispose();
        await CosmosTestServer.DropDatabaseAsync(Database);
    }
}

/// <summary>A store on an objects container of the layout before hierarchical keys (partition key /bucket).</summary>
public sealed class CosmosBucketLayoutStoreFixture : CosmosStoreFixture
{
    protected override ObjectsLayout? Layout => ObjectsLayout.Bucket;
}

/// <summary>The Cosmos endpoint under test, and a raw client for the setup the adapter does not offer.</summary>
internal static class CosmosTestServer
{
    /// <summary>The public, documented key of the Cosmos DB emulator.</summary>
    private const string EmulatorKey = CosmosMetadataOptions.EmulatorKey;

    private const string QueryPlanVariable = "AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX";

    private static readonly Lazy<CosmosClient> RawClient = new(() => new CosmosClient(Endpoint, Key, new CosmosClientOptions
    {
        ConnectionMode = ConnectionMode.Gateway,
        LimitToEndpoint = IsLocal,
        ServerCertificateCustomValidationCallback = IsLocal ? static (_, _, _) => true : null,
    }));

    static CosmosTestServer()
    {
        // The emulator serves no query plans; on Linux the SDK plans queries in-process only when told to.
        if (Environment.GetEnvironmentVariable(QueryPlanVariable) is null)
        {
            Environment.SetEnvironmentVariable(QueryPlanVariable, "true");
        }
    }

    public static string Endpoint { get; } =
        Environment.GetEnvironmentVariable("R2META_COSMOS_ENDPOINT") is { Length: > 0 } endpoint ? endpoint : "https://127.0.0.1:8081/";

    public static string Key { get; } =
        Environment.GetEnvironmentVariable("R2META_COSMOS_KEY") is { Length: > 0 } key ? key : EmulatorKey;

    public static CosmosClient Client => RawClient.Value;

    /// <summary>A loopback endpoint is an emulator: self-signed certificate, advertises its bind address.</summary>
    private static bool IsLocal => new Uri(Endpoint).IsLoopback;

    public static string NewDatabaseName() => $"r2meta-test-{Guid.NewGuid():N}";

    public static CosmosMetadataOptions Options(string database) => new()
    {
        Endpoint = Endpoint,
        Key = Key,
        Database = database,
        AcceptAnyServerCertificate = IsLocal,
        LimitToEndpoint = IsLocal,
    };

    public static async Task DropDatabaseAsync(string database)
    {
        try
        {
            await Client.GetDatabase(database).DeleteAsync();
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
