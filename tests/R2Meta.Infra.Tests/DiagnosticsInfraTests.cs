using System.Text.Json.Nodes;

namespace R2Meta.Infra.Tests;

/// <summary>Cosmos DB, Storage and the Function App send their platform logs and metrics to the Log Analytics workspace.</summary>
[Collection("bicep")]
public sealed class DiagnosticsInfraTests(BicepFixture bicep)
{
    private IEnumerable<ArmResource> Settings => bicep.Template.OfType("Microsoft.Insights/diagnosticSettings");

    [Theory]
    [InlineData("Microsoft.DocumentDB/databaseAccounts'", "DataPlaneRequests,QueryRuntimeStatistics,PartitionKeyRUConsumption,PartitionKeyStatistics,ControlPlaneRequests", "Requests")]
    [InlineData("Microsoft.Storage/storageAccounts'", "", "Transaction")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices'", "StorageRead,StorageWrite,StorageDelete", "Transaction")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices'", "StorageRead,StorageWrite,StorageDelete", "Transaction")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices'", "StorageRead,StorageWrite,StorageDelete", "Transaction")]
    [InlineData("Microsoft.Web/sites'", "FunctionAppLogs", "AllMetrics")]
    public void Resource_SendsItsCategoriesToTheWorkspace(string scopedType, string logs, string metrics)
    {
        var setting = Assert.Single(Settings, s => s.Raw["scope"]!.GetValue<string>().Contains($"resourceId('{scopedType}", StringComparison.Ordinal));
        Assert.Equal("[parameters('workspaceId')]", setting.Raw["properties"]!["workspaceId"]!.GetValue<string>());
        Assert.Equal(logs.Split(',', StringSplitOptions.RemoveEmptyEntries), EnabledCategories(setting, "logs"));
        Assert.Equal([metrics], EnabledCategories(setting, "metrics"));
    }

    [Fact]
    public void Workspace_IsTheOneApplicationInsightsUses()
    {
        var diagnostics = bicep.Template.OfType("Microsoft.Resources/deployments").Single(d => d.Text("name") == "diagnostics");
        var workspace = diagnostics.Raw["properties"]!["parameters"]!["workspaceId"]!["value"]!.GetValue<string>();
        Assert.Contains("'monitoring')", workspace, StringComparison.Ordinal);
        Assert.Contains(".outputs.workspaceId.value", workspace, StringComparison.Ordinal);
        var output = bicep.Template.ModuleNamed("monitoring").Template["outputs"]!["workspaceId"]!["value"]!.GetValue<string>();
        Assert.Contains("Microsoft.OperationalInsights/workspaces", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cosmos_UsesResourceSpecificTables()
    {
        // CDBDataPlaneRequests and friends (the runbooks query them), not the shared AzureDiagnostics table.
        var cosmos = Assert.Single(Settings, s => s.Raw["scope"]!.GetValue<string>().Contains("Microsoft.DocumentDB", StringComparison.Ordinal));
        Assert.Equal("Dedicated", cosmos.Text("properties.logAnalyticsDestinationType"));
    }

    private static string[] EnabledCategories(ArmResource setting, string kind) =>
        setting.Node($"properties.{kind}") is JsonArray entries
            ? entries.Where(e => e!["enabled"]!.GetValue<bool>()).Select(e => e!["category"]!.GetValue<string>()).ToArray()
            : [];
}
