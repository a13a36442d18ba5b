using System.Text.Json.Nodes;

namespace R2Meta.Infra.Tests;

/// <summary>The Azure Monitor workbook (dashboard as code): infra/workbooks/r2meta.workbook.json, deployed by monitoring.bicep.</summary>
[Collection("bicep")]
public sealed class WorkbookInfraTests(BicepFixture bicep)
{
    private static readonly string WorkbookPath = Path.Combine(BicepCli.RepositoryRoot, "infra", "workbooks", "r2meta.workbook.json");

    private static JsonObject Workbook => JsonNode.Parse(File.ReadAllText(WorkbookPath))!.AsObject();

    private static List<string> Queries => Workbook["items"]!.AsArray()
        .Where(i => i!["type"]!.GetValue<int>() == 3)
        .Select(i => i!["content"]!["query"]!.GetValue<string>())
        .ToList();

    [Fact]
    public void Workbook_IsANotebookOfWorkspaceQueries()
    {
        Assert.Equal("Notebook/1.0", Workbook["version"]!.GetValue<string>());
        var queryItems = Workbook["items"]!.AsArray().Where(i => i!["type"]!.GetValue<int>() == 3).ToList();
        Assert.True(queryItems.Count >= 8);
        Assert.All(queryItems, i =>
        {
            Assert.Equal("microsoft.operationalinsights/workspaces", i!["content"]!["resourceType"]!.GetValue<string>());
            Assert.Equal("TimeRange", i["content"]!["timeContextFromParameter"]!.GetValue<string>());
        });
        var names = Workbook["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Workbook_ShowsPerOperationRequestsErrorsAndLatency()
    {
        var perOperation = Queries.Where(q => q.Contains("AppRequests", StringComparison.Ordinal) && q.Contains("Properties[\"r2meta.s3.operation\"]", StringComparison.Ordinal)).ToList();
        Assert.Contains(perOperation, q => q.Contains("count()", StringComparison.Ordinal) && q.Contains("by Operation", StringComparison.Ordinal));
        Assert.Contains(perOperation, q => q.Contains(">= 500", StringComparison.Ordinal));
        Assert.Contains(perOperation, q => q.Contains("percentile(DurationMs, 50)", StringComparison.Ordinal));
        Assert.Contains(perOperation, q => q.Contains("percentile(DurationMs, 99)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("r2meta.store.call.duration")]
    [InlineData("r2meta.store.round_trips")]
    [InlineData("r2meta.cosmos.request_charge")]
    [InlineData("r2meta.maintenance.job.runs")]
    public void Workbook_ChartsTheAppsMetric(string metric)
    {
        Assert.Contains(Queries, q => q.Contains("AppMetrics", StringComparison.Ordinal) && q.Contains($"Name == \"{metric}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Template_DeploysThisFile_PointedAtTheWorkspace()
    {
        var resource = Assert.Single(bicep.Template.OfType("Microsoft.Insights/workbooks"));
        Assert.Equal("shared", resource.Text("kind"));
        var serialized = resource.Raw["properties"]!["serializedData"]!.GetValue<string>();
        Assert.StartsWith("[string(union(variables('$fxv#", serialized, StringComparison.Ordinal);
        Assert.Contains("fallbackResourceIds", serialized, StringComparison.Ordinal);
        // loadJsonContent inlines the file as a variable of the monitoring module.
        var variables = bicep.Template.ModuleNamed("monitoring").Template["variables"]!.AsObject();
        Assert.Contains(variables, v => v.Key.StartsWith("$fxv#", StringComparison.Ordinal) && JsonNode.DeepEquals(v.Value, Workbook));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", resource.Raw["properties"]!["sourceId"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
