using System.Diagnostics;
using Azure.Data.Tables;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Tables;
using Xunit.Abstractions;
using static R2Meta.Storage.Tests.Cosmos.CosmosStoreTests;

namespace R2Meta.Storage.Tests;

/// <summary>
/// Where one bucket stands against Table Storage's per-partition target (2,000 entities/s, docs/capacity.md): every
/// row of a bucket shares one PartitionKey, and each write touches a fixed number of them. The rate printed is what
/// this machine's Azurite reaches; Azurite never throttles, so the test cannot show the 2,000/s ceiling itself.
/// </summary>
public sealed class TablePartitionCeilingTests(ITestOutputHelper output)
{
    private const string TablePrefix = "r2metaceiling";
    private const int PartitionTargetEntitiesPerSecond = 2000;

    /// <summary>The first character of every directory index RowKey (above every object sort key).</summary>
    private const string IndexRowKeys = "\u9000";

    private readonly TableClient _objects = new TableServiceClient(StorageTestEnvironment.ConnectionString).GetTableClient(TablePrefix + "objects");

    [Fact]
    public async Task PutObject_OneBucketUnderLoad_EveryRowInTheBucketsOnePartition()
    {
        var store = new TableMetadataStore(new TableMetadataOptions { ConnectionString = StorageTestEnvironment.ConnectionString, TablePrefix = TablePrefix });
        await store.InitializeAsync();
        var bucket = StorageTestEnvironment.UniqueBucketName();
        var other = StorageTestEnvironment.UniqueBucketName();
        await store.PutObjectAsync(NewObject(other, "d/x"), WriteCondition.IfAbsent);

        var written = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (writer, cancellationToken) =>
        {
            for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(3); i++)
            {
                var put = await store.PutObjectAsync(NewObject(bucket, $"w{writer}/k{i:D5}"), WriteCondition.IfAbsent, cancellationToken);
                Assert.Equal(StoreStatus.Ok, put.Status);
                Interlocked.Increment(ref written);
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;

        var rows = new List<TableEntity>();
        await foreach (var row in _objects.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {bucket}"), select: ["PartitionKey", "RowKey"]))
        {
            rows.Add(row);
        }

        var otherObjectRows = 0;
        await foreach (var row in _objects.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {other}"), select: ["RowKey"]))
        {
            otherObjectRows += IsObjectRow(row) ? 1 : 0;
        }

        // Every PUT wrote its object row (a sort key RowKey) and its index rows (RowKeys from IndexRowKeys up) into the bucket's partition.
        var objectRows = rows.Count(IsObjectRow);
        Assert.Equal(written, objectRows);
        Assert.True(rows.Count - objectRows >= written, $"{rows.Count - objectRows} index rows for {written} keys");
        Assert.Equal(1, otherObjectRows);
        var perPut = (double)rows.Count / written;
        output.WriteLine(
            $"one bucket, one partition: {written} PUTs in {seconds:F1} s = {written / seconds:F0} PUT/s, ≈{written * perPut / seconds:F0} entities/s " +
            $"({perPut:F2} rows per PUT, each PUT one entity group transaction of its object, index entry and new directory rows); Azure's partition target " +
            $"{PartitionTargetEntitiesPerSecond}/s ≈ {PartitionTargetEntitiesPerSecond / perPut:F0} such PUT/s (transactions count every entity).");
    }

    private static bool IsObjectRow(TableEntity row) => string.CompareOrdinal(row.RowKey, IndexRowKeys) < 0;
}
