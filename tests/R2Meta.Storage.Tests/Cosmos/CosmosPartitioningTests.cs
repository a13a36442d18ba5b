using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Listing;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Cosmos;
using R2Meta.Unit.Tests.Listing;
using static R2Meta.Storage.Tests.Cosmos.CosmosStoreTests;

namespace R2Meta.Storage.Tests.Cosmos;

/// <summary>
/// One bucket spread over many partition-key values of the hierarchical layout (/bucket, /shard), read from the
/// documents themselves, and listing over it exact. Locally the emulator has one physical partition, so these
/// tests show the logical spread, the routing of point operations by the full key, and the exactness of the
/// bucket-prefix queries; the SDK's merge across several physical partitions is Cosmos DB's (docs/capacity.md).
/// </summary>
public sealed class CosmosPartitioningTests(CosmosStoreFixture fixture) : IClassFixture<CosmosStoreFixture>
{
    private const string Secret = "partitioning-test-secret";
    private static readonly string[] Alphabet = ["/", "a", "b", "é", "\U0001F600", "\uE000", "\uFFFD"];
    private static readonly string?[] Delimiters = [null, "/", "a", "\U0001F600"];

    private CosmosMetadataStore Store => fixture.Store;

    private Container Objects => CosmosTestServer.Client.GetContainer(fixture.Database, CosmosModel.Objects.Name);

    [Fact]
    public async Task PutObject_ManyKeysOfOneBucket_SpreadOverSeveralPartitionKeyValues()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var keys = Enumerable.Range(0, 40).Select(i => $"logs/2026/{i:D4}.json").ToList();
        foreach (var key in keys)
        {
            Assert.Equal(StoreStatus.Ok, (await Store.PutObjectAsync(NewObject(bucket, key), WriteCondition.IfAbsent)).Status);
        }

        var documents = await QueryAsync(bucket, "SELECT c.key, c.shard FROM c WHERE c.bucket = @bucket AND NOT IS_DEFINED(c.kind)");
        var shards = documents.Select(d => d.Value<string>("shard")!).Distinct().ToList();

        Assert.Equal(keys.Order(StringComparer.Ordinal), documents.Select(d => d.Value<string>("key")!).Order(StringComparer.Ordinal));
        Assert.All(documents, d => Assert.Equal(ObjectPartitioning.ShardOf(d.Value<string>("key")!), d.Value<string>("shard")!));
        // 40 keys over 4,096 shards: a handful of collisions at most.
        Assert.True(shards.Count >= 30, $"{shards.Count} shards");
        Assert.Equal(["/bucket", "/shard"], (await Objects.ReadContainerAsync()).Resource.PartitionKeyPaths);
    }

    [Fact]
    public async Task PointRead_ByTheFullPartitionKeyOnly_FindsTheDocument()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        await Store.PutObjectAsync(NewObject(bucket, "a/b"), WriteCondition.IfAbsent);
        var id = ObjectDocument.IdOf("a/b");
        var shard = ObjectPartitioning.ShardOf("a/b");
        var otherShard = Enumerable.Range(0, 100).Select(i => ObjectPartitioning.ShardOf($"other{i}")).First(s => s != shard);

        using var right = await Objects.ReadItemStreamAsync(id, new PartitionKeyBuilder().Add(bucket).Add(shard).Build());
        using var wrong = await Objects.ReadItemStreamAsync(id, new PartitionKeyBuilder().Add(bucket).Add(otherShard).Build());
        using var directory = await Objects.ReadItemStreamAsync(DirectoryDocument.IdOf("a/"), new PartitionKeyBuilder().Add(bucket).Add(ObjectPartitioning.ShardOf("a/")).Build());

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.OK), (right.StatusCode, wrong.StatusCode, directory.StatusCode));
    }

    [Fact]
    public async Task CreateItem_ShardInTheBodyNotTheHeaders_IsRefused()
    {
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var document = new JsonObject { ["id"] = "x", ["bucket"] = bucket, ["shard"] = "AA" };
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));

        using var response = await Objects.CreateItemStreamAsync(body, new PartitionKeyBuilder().Add(bucket).Add("BB").Build());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>The listing property test of the unit tests, on Cosmos DB over one bucket spread across shards.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task List_RandomKeysOverManyShardsPagedToTheEnd_EqualTheReferenceModel(bool directoryIndex)
    {
        var random = new Random(directoryIndex ? 20261203 : 20261204);
        var bucket = new BucketRecord { Name = StorageTestEnvironment.UniqueBucketName(), OwnerId = "o", CreatedAt = DateTimeOffset.UnixEpoch, HasDirectoryIndex = directoryIndex };
        await Store.CreateBucketAsync(bucket);
        var keys = Enumerable.Range(0, 48).Select(_ => RandomString(random, 1, 5)).Distinct().ToList();
        foreach (var key in keys)
        {
            Assert.Equal(StoreStatus.Ok, (await Store.PutObjectAsync(NewObject(bucket.Name, key), WriteCondition.IfAbsent)).Status);
        }

        var shards = (await QueryAsync(bucket.Name, "SELECT c.shard FROM c WHERE c.bucket = @bucket")).Select(d => d.Value<string>("shard")).Distinct().Count();
        Assert.True(shards > keys.Count / 2, $"{shards} shards for {keys.Count} keys");
        for (var round = 0; round < 6; round++)
        {
            var prefix = random.Next(3) == 0 ? RandomString(random, 1, 2) : string.Empty;
            var delimiter = Delimiters[random.Next(Delimiters.Length)];
            var startAfter = random.Next(3) == 0 ? RandomString(random, 1, 3) : null;
            var maxKeys = random.Next(3, 13);
            var query = new ListQuery { Prefix = prefix, Delimiter = delimiter, MaxKeys = maxKeys, After = startAfter };

            var expected = ReferenceListing.Entries(keys, prefix, delimiter, startAfter);
            var actual = await ListAllAsync(bucket, query);

            Assert.True(expected.SequenceEqual(actual), $"round {round}: prefix '{prefix}', delimiter '{delimiter}', start-after '{startAfter}', max-keys {maxKeys}\nexpected [{string.Join(", ", expected)}]\nactual   [{string.Join(", ", actual)}]");
        }
    }

    private async Task<List<string>> ListAllAsync(BucketRecord bucket, ListQuery query)
    {
        var engine = new ListingEngine(Store);
        var tokens = ContinuationToken.For(Secret, bucket.Name);
        var names = new List<string>();
        var after = query.After;
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await engine.ListAsync(bucket, query with { After = after });
            Assert.True(page.Entries.Count <= query.MaxKeys);
            names.AddRange(page.Entries.Select(e => e.Name));
            if (!page.IsTruncated)
            {
                return names;
            }

            after = tokens.TryRead(tokens.Create(page.Last!));
        }

        throw new InvalidOperationException("The listing did not end.");
    }

    private async Task<List<JObject>> QueryAsync(string bucket, string text)
    {
        var query = new QueryDefinition(text).WithParameter("@bucket", bucket);
        using var iterator = Objects.GetItemQueryIterator<JObject>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(bucket).Build() });
        var rows = new List<JObject>();
        while (iterator.HasMoreResults)
        {
            rows.AddRange(await iterator.ReadNextAsync());
        }

        return rows;
    }

    private static string RandomString(Random random, int min, int max)
    {
        var sb = new StringBuilder();
        var length = random.Next(min, max + 1);
        for (var i = 0; i < length; i++)
        {
            sb.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return sb.ToString();
    }
}
