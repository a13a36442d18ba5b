using R2Meta.Hosting;
using R2Meta.Storage.Blobs;
using R2Meta.Storage.Tables;

namespace R2Meta.Infra.Tests;

/// <summary>The storage account in infra/ is locked down and holds the containers and tables the app uses.</summary>
[Collection("bicep")]
public sealed class StorageInfraTests(BicepFixture bicep)
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";

    private ArmResource Account => Assert.Single(bicep.Template.OfType("Microsoft.Storage/storageAccounts"));

    [Fact]
    public void Account_IsHttpsOnlyPrivateTls12WithoutSharedKeys()
    {
        Assert.Equal("StorageV2", Account.Text("kind"));
        Assert.True(Account.Node("properties.supportsHttpsTrafficOnly")!.GetValue<bool>());
        Assert.False(Account.Node("properties.allowBlobPublicAccess")!.GetValue<bool>());
        Assert.Equal("TLS1_2", Account.Text("properties.minimumTlsVersion"));
        Assert.False(Account.Node("properties.allowSharedKeyAccess")!.GetValue<bool>());
    }

    [Fact]
    public void BlobContainer_IsTheAppsDefault()
    {
        var blobDefault = new BlobStoreOptions { ConnectionString = "" }.ContainerName;
        Assert.Equal(blobDefault, new R2MetaSettings().BlobContainer);
        Assert.Contains(blobDefault, BlobContainers());
    }

    [Fact]
    public void BlobContainers_AreObjectsAndDeploymentPackageOnly_NeitherPublic()
    {
        var containers = bicep.Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();
        Assert.Equal(2, containers.Count);
        Assert.All(containers, c => Assert.Equal("None", c.Text("properties.publicAccess")));
    }

    [Fact]
    public void Tables_AreTheTableStoresTables()
    {
        var prefix = new TableMetadataOptions { ConnectionString = "" }.TablePrefix;
        Assert.Equal(prefix, new R2MetaSettings().TablePrefix);
        var tables = bicep.Template.OfType("Microsoft.Storage/storageAccounts/tableServices/tables")
            .Select(t => t.Scope.LastNameSegment(t)).Order(StringComparer.Ordinal);
        Assert.Equal([prefix + "buckets", prefix + "objects"], tables);
    }

    [Theory]
    [InlineData(BlobDataOwner)]
    [InlineData(TableDataContributor)]
    [InlineData(QueueDataContributor)]
    public void FunctionApp_GetsStorageDataRole(string roleId)
    {
        var roles = bicep.Template.ModuleNamed("roles");
        var declared = roles.Template["variables"]!.AsObject().Select(v => v.Value?.GetValue<string>());
        Assert.Contains(roleId, declared);
        var assignments = roles.OfType("Microsoft.Authorization/roleAssignments").ToList();
        Assert.NotEmpty(assignments);
        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", a.Text("properties.principalType")));
    }

    private IEnumerable<string?> BlobContainers() =>
        bicep.Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => c.Scope.LastNameSegment(c));
}
