using R2Meta.Domain.Storage;
using R2Meta.Storage.Cosmos;
using static R2Meta.Storage.Tests.Cosmos.CosmosStoreTests;

namespace R2Meta.Storage.Tests.Cosmos;

/// <summary>Which layout a store serves: the existing objects container's, or the configured one for a new container.</summary>
public sealed class CosmosObjectsLayoutTests
{
    [Fact]
    public async Task InitializeAsync_ExistingContainerPartitionedByBucket_KeepsServingIt()
    {
        var database = CosmosTestServer.NewDatabaseName();
        try
        {
            var created = await CosmosTestServer.Client.CreateDatabaseAsync(database);
            await created.Database.CreateContainerAsync(CosmosModel.BucketPartitionedObjects.ToContainerProperties());
            using var store = new CosmosMetadataStore(CosmosTestServer.Options(database));

            await store.InitializeAsync();
            var put = await store.PutObjectAsync(NewObject("b1", "dir/k"), WriteCondition.IfAbsent);
            var read = await store.GetObjectAsync("b1", "dir/k");
            var listed = await store.ReadDirectoryAsync("b1", string.Empty, string.Empty, null, 10);

            Assert.Equal(ObjectsLayout.Bucket, store.ObjectsLayout);
            Assert.Equal((StoreStatus.Ok, StoreStatus.Ok), (put.Status, read.Status));
            Assert.Equal(["dir/"], listed.Select(e => e.Name));
        }
        finally
        {
            await CosmosTestServer.DropDatabaseAsync(database);
        }
    }

    [Theory]
    [InlineData(ObjectsLayout.Bucket, ObjectsLayout.Hierarchical)]
    [InlineData(ObjectsLayout.Hierarchical, ObjectsLayout.Bucket)]
    public async Task InitializeAsync_ConfiguredLayoutOtherThanTheContainers_Throws(ObjectsLayout existing, ObjectsLayout configured)
    {
        var database = CosmosTestServer.NewDatabaseName();
        try
        {
            using (var first = new CosmosMetadataStore(CosmosTestServer.Options(database) with { ObjectsLayout = existing }))
            {
                await first.InitializeAsync();
            }

            using var store = new CosmosMetadataStore(CosmosTestServer.Options(database) with { ObjectsLayout = configured });

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());
            Assert.Contains("R2META_COSMOS_OBJECTS_LAYOUT", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await CosmosTestServer.DropDatabaseAsync(database);
        }
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(" ", null)]
    [InlineData("hierarchical", ObjectsLayout.Hierarchical)]
    [InlineData("Bucket", ObjectsLayout.Bucket)]
    public void ParseObjectsLayout_KnownValue_Parses(string? value, ObjectsLayout? expected) =>
        Assert.Equal(expected, CosmosMetadataOptions.ParseObjectsLayout(value));

    [Theory]
    [InlineData("1")]
    [InlineData("hash")]
    public void ParseObjectsLayout_UnknownValue_Throws(string value) =>
        Assert.Throws<ArgumentException>(() => CosmosMetadataOptions.ParseObjectsLayout(value));
}
