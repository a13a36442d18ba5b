using System.Text.Json.Nodes;
using R2Meta.Domain.Maintenance;
using R2Meta.S3.Handlers;
using R2Meta.S3.Routing;

namespace R2Meta.Infra.Tests;

/// <summary>
/// The alert rules in infra/: what each watches (the telemetry names the app emits) and the runbook each links,
/// which must be a page in docs/runbooks/ saying what the alert means, how to confirm it and how to mitigate.
/// </summary>
[Collection("bicep")]
public sealed class AlertInfraTests(BicepFixture bicep)
{
    private IEnumerable<ArmResource> LogAlerts => bicep.Template.OfType("Microsoft.Insights/scheduledQueryRules");

    private IEnumerable<ArmResource> MetricAlerts => bicep.Template.OfType("Microsoft.Insights/metricAlerts");

    [Fact]
    public void Alerts_AreTheFiveOperationalSignals()
    {
        var names = LogAlerts.Concat(MetricAlerts).Select(a => a.Raw["name"]!.ToString()).ToList();
        Assert.Equal(5, names.Count);
        foreach (var suffix in new[] { "-s3-5xx-rate", "-s3-p99-latency", "-maintenance-failures", "-cosmos-429", "-cosmos-ru" })
        {
            Assert.Contains(names, n => n.Contains(suffix, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EveryAlert_LinksARunbookThatExists_InItsDescriptionAndPayload()
    {
        var links = LogAlerts.Select(a => (Alert: a, Payload: a.Text("properties.actions.customProperties.runbook")))
            .Concat(MetricAlerts.Select(a => (Alert: a, Payload: (string?)a.Node("properties.actions")?[0]?["webHookProperties"]?["runbook"]?.GetValue<string>())))
            .ToList();
        Assert.Equal(5, links.Count);
        foreach (var (alert, payload) in links)
        {
            Assert.NotNull(payload);
            Assert.False(ArmScope.IsUnresolved(JsonValue.Create(payload)), payload);
            // runbookBaseUrl defaults to "": the link is the page's path in this repository.
            Assert.StartsWith("docs/runbooks/", payload, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(BicepCli.RepositoryRoot, payload)), $"{payload} does not exist.");
            Assert.EndsWith($"Runbook: {payload}", alert.Text("properties.description"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryRunbook_SaysWhatItMeansHowToConfirmHowToMitigate()
    {
        var pages = Directory.GetFiles(Path.Combine(BicepCli.RepositoryRoot, "docs", "runbooks"), "*.md")
            .Where(p => Path.GetFileName(p) != "README.md")
            .ToList();
        Assert.True(pages.Count >= 5);
        foreach (var page in pages)
        {
            var text = File.ReadAllText(page);
            Assert.StartsWith("# ", text, StringComparison.Ordinal);
            foreach (var heading in new[] { "## What it means", "## How to confirm", "## How to mitigate" })
            {
                Assert.True(text.Contains(heading, StringComparison.Ordinal), $"{Path.GetFileName(page)} has no '{heading}'.");
            }
        }
    }

    [Fact]
    public void EveryAlert_NotifiesTheActionGroup()
    {
        var group = Assert.Single(bicep.Template.OfType("Microsoft.Insights/actionGroups"));
        Assert.Equal("global", group.Text("location"));
        Assert.Contains("alertEmail", group.Raw["properties"]!["emailReceivers"]!.ToString(), StringComparison.Ordinal);
        Assert.All(LogAlerts, a => Assert.Contains("Microsoft.Insights/actionGroups", a.Raw["properties"]!["actions"]!["actionGroups"]![0]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(MetricAlerts, a => Assert.Contains("Microsoft.Insights/actionGroups", a.Raw["properties"]!["actions"]![0]!["actionGroupId"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public void ServerErrorRate_IsPerOperation_FromTheRequestSpans()
    {
        var (query, criterion) = LogAlert("-s3-5xx-rate");
        Assert.Contains("AppRequests", query, StringComparison.Ordinal);
        Assert.Contains("Properties[\"r2meta.s3.operation\"]", query, StringComparison.Ordinal);
        Assert.Contains("toint(ResultCode) >= 500", query, StringComparison.Ordinal);
        Assert.Equal("ServerErrorPercent", criterion["metricMeasureColumn"]!.GetValue<string>());
        Assert.Equal("Operation", criterion["dimensions"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(5, criterion["threshold"]!.GetValue<long>());
    }

    [Fact]
    public void Latency_ComparesEachOperationsP99WithItsBudget()
    {
        var (query, criterion) = LogAlert("-s3-p99-latency");
        Assert.Contains("percentile(DurationMs, 99)", query, StringComparison.Ordinal);
        Assert.Equal("P99OverBudget", criterion["metricMeasureColumn"]!.GetValue<string>());
        Assert.Equal("Operation", criterion["dimensions"]![0]!["name"]!.GetValue<string>());
        // The budgets are inlined as a KQL dynamic literal.
        Assert.Contains("\"PutObject\":10000", query, StringComparison.Ordinal);
    }

    [Fact]
    public void LatencyBudgets_NameRealS3Operations()
    {
        var budgets = bicep.Compiled["parameters"]!["p99BudgetsMs"]!["defaultValue"]!.AsObject();
        Assert.True(budgets.ContainsKey("default"));
        var unknown = budgets.Select(b => b.Key).Where(k => k != "default" && !S3Operations.All.Any(o => o.Operation.Name == k)).ToList();
        Assert.True(unknown.Count == 0, $"Not S3 operations: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void MaintenanceFailures_CoverEveryJob()
    {
        var (query, criterion) = LogAlert("-maintenance-failures");
        Assert.Contains("\"r2meta.maintenance.job.runs\"", query, StringComparison.Ordinal);
        Assert.Contains("Properties[\"r2meta.maintenance.result\"]) == \"failed\"", query, StringComparison.Ordinal);
        foreach (var job in new[] { OrphanBlobSweeper.JobName, ExpiredUploadsJob.JobName, EmptyDirectorySweeper.JobName })
        {
            Assert.Contains($"\"{job}\"", query, StringComparison.Ordinal);
        }

        Assert.Equal("Job", criterion["dimensions"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(0, criterion["threshold"]!.GetValue<long>());
    }

    [Fact]
    public void CosmosThrottling_CountsRequestsAnswered429()
    {
        var criterion = MetricCriterion("-cosmos-429");
        Assert.Equal("TotalRequests", criterion["metricName"]!.GetValue<string>());
        Assert.Equal("Count", criterion["timeAggregation"]!.GetValue<string>());
        var status = Assert.Single(criterion["dimensions"]!.AsArray(), d => d!["name"]!.GetValue<string>() == "StatusCode");
        Assert.Equal("429", Assert.Single(status!["values"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public void CosmosRuConsumption_WatchesNormalizedRu_WhenThroughputIsProvisioned()
    {
        var alert = Assert.Single(MetricAlerts, a => a.Raw["name"]!.ToString().Contains("-cosmos-ru", StringComparison.Ordinal));
        Assert.Contains("cosmosServerless", alert.Raw["condition"]!.GetValue<string>(), StringComparison.Ordinal);
        var criterion = MetricCriterion("-cosmos-ru");
        Assert.Equal("NormalizedRUConsumption", criterion["metricName"]!.GetValue<string>());
        Assert.Equal("Maximum", criterion["timeAggregation"]!.GetValue<string>());
        Assert.InRange(criterion["threshold"]!.GetValue<long>(), 50, 99);
    }

    [Fact]
    public void LogAlerts_QueryTheWorkspaceApplicationInsightsWritesTo()
    {
        Assert.All(LogAlerts, a => Assert.Equal("[parameters('workspaceId')]", a.Raw["properties"]!["scopes"]![0]!.GetValue<string>()));
        var alerts = bicep.Template.OfType("Microsoft.Resources/deployments").Single(d => d.Text("name") == "alerts");
        Assert.Contains("'monitoring')", alerts.Raw["properties"]!["parameters"]!["workspaceId"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(".outputs.workspaceId.value", alerts.Raw["properties"]!["parameters"]!["workspaceId"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private (string Query, JsonObject Criterion) LogAlert(string suffix)
    {
        var alert = Assert.Single(LogAlerts, a => a.Raw["name"]!.ToString().Contains(suffix, StringComparison.Ordinal));
        var criterion = Assert.Single(Assert.IsType<JsonArray>(alert.Node("properties.criteria.allOf")))!.AsObject();
        var query = criterion["query"]!.GetValue<string>();
        Assert.False(ArmScope.IsUnresolved(JsonValue.Create(query)), query);
        // Every placeholder of infra/queries/*.kql was replaced.
        Assert.DoesNotMatch(@"\{[a-zA-Z]+\}", query);
        return (query, criterion);
    }

    private JsonObject MetricCriterion(string suffix)
    {
        var alert = Assert.Single(MetricAlerts, a => a.Raw["name"]!.ToString().Contains(suffix, StringComparison.Ordinal));
        // cosmosAccountId is the Cosmos module's output id (main.bicep).
        Assert.Equal("[parameters('cosmosAccountId')]", alert.Raw["properties"]!["scopes"]![0]!.GetValue<string>());
        var criterion = Assert.Single(Assert.IsType<JsonArray>(alert.Node("properties.criteria.allOf")))!.AsObject();
        Assert.Equal("Microsoft.DocumentDB/databaseAccounts", criterion["metricNamespace"]!.GetValue<string>());
        return criterion;
    }
}
