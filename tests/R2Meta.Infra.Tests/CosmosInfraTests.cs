using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using R2Meta.Storage.Cosmos;

namespace R2Meta.Infra.Tests;

/// <summary>The Cosmos DB account, database and containers in infra/ are the ones CosmosModel describes.</summary>
[Collection("bicep")]
public sealed class CosmosInfraTests(BicepFixture bicep)
{
    private ArmResource Account => Assert.Single(bicep.Template.OfType("Microsoft.DocumentDB/databaseAccounts"));

    [Fact]
    public void Account_IsStrongWithOneWriteRegion()
    {
        Assert.Equal("Strong", Account.Text("properties.consistencyPolicy.defaultConsistencyLevel"));
        var locations = Assert.IsType<JsonArray>(Account.Node("properties.locations"));
        var only = Assert.Single(locations);
        Assert.Equal(0, only!["failoverPriority"]!.GetValue<long>());
        Assert.False(Account.Node("properties.enableMultipleWriteLocations")!.GetValue<bool>());
        Assert.Equal("Standard", Account.Text("properties.databaseAccountOfferType"));
        Assert.Equal("GlobalDocumentDB", Account.Text("kind"));
    }

    [Fact]
    public void Account_AcceptsNoKeys()
    {
        Assert.True(Account.Node("properties.disableLocalAuth")!.GetValue<bool>());
        Assert.True(Account.Node("properties.disableKeyBasedMetadataWriteAccess")!.GetValue<bool>());
    }

    [Fact]
    public void Database_IsCosmosModelDatabase()
    {
        var database = Assert.Single(bicep.Template.OfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases"));
        Assert.Equal(CosmosModel.DatabaseName, database.Text("properties.resource.id"));
    }

    [Fact]
    public void Containers_AreExactlyCosmosModelContainers()
    {
        var names = Containers().Select(c => c.Text("properties.resource.id")).Order(StringComparer.Ordinal);
        Assert.Equal(CosmosModel.Containers.Select(c => c.Name).Order(StringComparer.Ordinal), names);
    }

    public static TheoryData<string> ModelContainers() => [.. CosmosModel.Containers.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(ModelContainers))]
    public void Container_PartitionKey_IsCosmosModels(string name)
    {
        var expected = Model(name);
        var container = Container(name);
        var paths = Assert.IsType<JsonArray>(container.Node("properties.resource.partitionKey.paths"));
        Assert.Equal(expected.PartitionKeyPaths, paths.Select(p => p!.GetValue<string>()));
        // More than one path is a hierarchical key (the objects container: /bucket, /shard).
        Assert.Equal(expected.PartitionKeyPaths.Count > 1 ? "MultiHash" : "Hash", container.Text("properties.resource.partitionKey.kind"));
        // The SDK creates containers with partition key definition version 2 (long keys hashed in full).
        Assert.Equal(2, container.Node("properties.resource.partitionKey.version")!.GetValue<long>());
    }

    [Theory]
    [MemberData(nameof(ModelContainers))]
    public void Container_IndexingPolicy_IsCosmosModels(string name)
    {
        var expected = Model(name).ToContainerProperties().IndexingPolicy;
        var policy = Assert.IsType<JsonObject>(Container(name).Node("properties.resource.indexingPolicy"));

        Assert.Equal(expected.Automatic, policy["automatic"]!.GetValue<bool>());
        Assert.Equal(expected.IndexingMode.ToString(), policy["indexingMode"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal(expected.IncludedPaths.Select(p => p.Path).Order(StringComparer.Ordinal), Paths(policy, "includedPaths"));
        Assert.Equal(expected.ExcludedPaths.Select(p => p.Path).Order(StringComparer.Ordinal), Paths(policy, "excludedPaths"));
        Assert.Equal(CompositeIndexes(expected), CompositeIndexes(policy));
        Assert.Equal(expected.SpatialIndexes.Count, (policy["spatialIndexes"] as JsonArray)?.Count ?? 0);
        Assert.Equal(IndexingMode.Consistent, expected.IndexingMode);
    }

    [Fact]
    public void FunctionApp_GetsBuiltInDataContributorOnTheAccount()
    {
        var assignment = Assert.Single(bicep.Template.OfType("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"));
        var role = assignment.Scope.Resolve(assignment.Raw["properties"]!["roleDefinitionId"])!.GetValue<string>();
        Assert.Contains("/sqlRoleDefinitions/", role, StringComparison.Ordinal);
        Assert.Contains(CosmosDataContributorRoleId, ResolvedText(assignment.Scope, role), StringComparison.Ordinal);
    }

    private const string CosmosDataContributorRoleId = "00000000-0000-0000-0000-000000000002";

    /// <summary>An expression's text with every variables('x') replaced by its constant value, for role ids.</summary>
    private static string ResolvedText(ArmScope scope, string expression)
    {
        var variables = scope.Template["variables"] as JsonObject ?? [];
        foreach (var (name, value) in variables)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text))
            {
                expression = expression.Replace($"variables('{name}')", $"'{text}'", StringComparison.Ordinal);
            }
        }

        return expression;
    }

    private static CosmosContainerModel Model(string name) => CosmosModel.Containers.Single(c => c.Name == name);

    private IEnumerable<ArmResource> Containers() =>
        bicep.Template.OfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");

    private ArmResource Container(string name) => Assert.Single(Containers(), c => c.Text("properties.resource.id") == name);

    /// <summary>Each composite index as "path order, path order", in the model's order.</summary>
    private static IEnumerable<string> CompositeIndexes(IndexingPolicy policy) =>
        policy.CompositeIndexes.Select(index => string.Join(", ", index.Select(p => $"{p.Path} {p.Order}".ToLowerInvariant())));

    private static IEnumerable<string> CompositeIndexes(JsonObject policy) =>
        (policy["compositeIndexes"] as JsonArray ?? []).Select(index => string.Join(", ", index!.AsArray().Select(p =>
            $"{p!["path"]!.GetValue<string>()} {p["order"]?.GetValue<string>() ?? "ascending"}".ToLowerInvariant())));

    private static IEnumerable<string> Paths(JsonObject policy, string kind) =>
        (policy[kind] as JsonArray ?? []).Select(p => p!["path"]!.GetValue<string>()).Order(StringComparer.Ordinal);
}
