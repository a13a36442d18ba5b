using Microsoft.Extensions.Configuration;
using R2Meta.Hosting;
using R2Meta.Storage.Blobs;
using R2Meta.Storage.Cosmos;
using R2Meta.Storage.Tables;

namespace R2Meta.Infra.Tests;

/// <summary>The app settings infra/ writes are settings the app reads, with values it accepts and agrees with.</summary>
[Collection("bicep")]
public sealed class SettingsInfraTests(BicepFixture bicep)
{
    /// <summary>
    /// Identity-based access settings infra/ sets before the app reads them (R2MetaSettings reads a storage
    /// connection string and a Cosmos key today). Remove a name here once R2MetaSettings reads it.
    /// </summary>
    public static readonly IReadOnlySet<string> PendingIdentitySettings = new HashSet<string>(StringComparer.Ordinal);

    private ArmResource Site => Assert.Single(bicep.Template.OfType("Microsoft.Web/sites"));

    [Fact]
    public void EveryR2MetaSetting_IsReadByTheApp()
    {
        var unread = FunctionAppInfraTests.AppSettings(Site)
            .Select(s => s.Name)
            .Where(n => n.StartsWith("R2META_", StringComparison.Ordinal))
            .Where(n => !PendingIdentitySettings.Contains(n) && !IsRead(n))
            .ToList();
        Assert.True(unread.Count == 0, $"R2MetaSettings does not read: {string.Join(", ", unread)}");
    }

    [Fact]
    public void ConstantSettings_ParseToTheNamesTheStoresUse()
    {
        var constants = FunctionAppInfraTests.AppSettings(Site)
            .Where(s => s.Name.StartsWith("R2META_", StringComparison.Ordinal) && !ArmScope.IsUnresolved(System.Text.Json.Nodes.JsonValue.Create(s.Resolved)))
            .ToDictionary(s => s.Name, s => (string?)s.Resolved, StringComparer.Ordinal);

        var settings = R2MetaSettings.From(new ConfigurationBuilder().AddInMemoryCollection(constants).Build());

        Assert.Equal(MetadataBackend.Cosmos, settings.Metadata);
        Assert.Equal(CosmosModel.DatabaseName, settings.CosmosDatabase);
        Assert.Equal(new BlobStoreOptions { ConnectionString = "" }.ContainerName, settings.BlobContainer);
        Assert.Equal(new TableMetadataOptions { ConnectionString = "" }.TablePrefix, settings.TablePrefix);
        Assert.Equal("true", constants["R2META_COSMOS_USE_IDENTITY"]);
    }

    [Fact]
    public void CosmosConnectionMode_EveryAllowedValueParses()
    {
        var parameter = bicep.Compiled["parameters"]!["cosmosConnectionMode"]!.AsObject();
        foreach (var allowed in parameter["allowedValues"]!.AsArray())
        {
            _ = CosmosMetadataOptions.ParseConnectionMode(allowed!.GetValue<string>());
        }

        Assert.Contains(FunctionAppInfraTests.AppSettings(Site), s => s.Name == "R2META_COSMOS_CONNECTION_MODE" && s.Raw == "[parameters('cosmosConnectionMode')]");
    }

    [Fact]
    public void IsRead_TellsReadNamesFromOthers()
    {
        Assert.True(IsRead("R2META_BLOB_CONTAINER"));
        Assert.True(IsRead("R2META_METADATA"));
        Assert.False(IsRead("R2META_NO_SUCH_SETTING"));
    }

    /// <summary>A name is read when setting it alone changes what R2MetaSettings.From returns (or makes it reject the value).</summary>
    private static bool IsRead(string name)
    {
        var defaults = R2MetaSettings.From(new ConfigurationBuilder().Build());
        foreach (var probe in new[] { "true", "12345", "probe-value" })
        {
            try
            {
                var configuration = new ConfigurationBuilder()
                    .AddInMemoryCollection([KeyValuePair.Create(name, (string?)probe)])
                    .Build();
                if (R2MetaSettings.From(configuration) != defaults)
                {
                    return true;
                }
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }

        return false;
    }
}
