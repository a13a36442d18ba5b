using System.Text.Json.Nodes;

namespace R2Meta.Infra.Tests;

/// <summary>The Function App runs on Flex Consumption with a managed identity and no secret in its settings.</summary>
[Collection("bicep")]
public sealed class FunctionAppInfraTests(BicepFixture bicep)
{
    private ArmResource Site => Assert.Single(bicep.Template.OfType("Microsoft.Web/sites"));

    [Fact]
    public void Site_HasSystemAssignedIdentity()
    {
        Assert.Equal("SystemAssigned", Site.Text("identity.type"));
        Assert.True(Site.Node("properties.httpsOnly")!.GetValue<bool>());
        Assert.Equal("1.2", Site.Text("properties.siteConfig.minTlsVersion"));
    }

    [Fact]
    public void Plan_IsFlexConsumption()
    {
        var plan = Assert.Single(bicep.Template.OfType("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", plan.Text("sku.name"));
        Assert.Equal("FlexConsumption", plan.Text("sku.tier"));
        Assert.True(plan.Node("properties.reserved")!.GetValue<bool>());
    }

    [Fact]
    public void FunctionAppConfig_RunsDotnetIsolated10_DeployingWithItsIdentity()
    {
        Assert.Equal("dotnet-isolated", Site.Text("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", Site.Text("properties.functionAppConfig.runtime.version"));
        Assert.Equal("blobContainer", Site.Text("properties.functionAppConfig.deployment.storage.type"));
        Assert.Equal("SystemAssignedIdentity", Site.Text("properties.functionAppConfig.deployment.storage.authentication.type"));
        Assert.NotNull(Site.Node("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"));
        Assert.NotNull(Site.Node("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB"));
    }

    [Fact]
    public void AppSettings_HoldNoKeyOrConnectionString()
    {
        foreach (var (name, raw, resolved) in AppSettings(Site))
        {
            foreach (var value in new[] { raw, resolved })
            {
                Assert.DoesNotContain("AccountKey=", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("SharedAccessSignature=", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("listKeys(", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("listConnectionStrings(", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("primaryMasterKey", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("UseDevelopmentStorage", value, StringComparison.OrdinalIgnoreCase);
            }

            // A key setting is allowed only as a Key Vault reference (R2META_KEY_ENCRYPTION_KEY): the value never sits in the site config.
            Assert.False(
                name.EndsWith("_KEY", StringComparison.OrdinalIgnoreCase) && !raw.Contains("@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal),
                $"{name} is a key setting that is not a Key Vault reference.");
        }

        var names = AppSettings(Site).Select(s => s.Name).ToList();
        // Key-based settings the app reads today: identity-based ones replace them on Azure.
        Assert.DoesNotContain("R2META_STORAGE_CONNECTION", names);
        Assert.DoesNotContain("R2META_COSMOS_KEY", names);
        Assert.DoesNotContain("AzureWebJobsStorage", names);
        Assert.Contains("AzureWebJobsStorage__accountName", names);
    }

    [Fact]
    public void Template_NeverReadsAKey()
    {
        var text = bicep.Compiled.ToJsonString();
        Assert.DoesNotContain("listKeys(", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listConnectionStrings(", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AppSettings_OmitWhatFlexConsumptionRejects()
    {
        // Flex Consumption takes the runtime from functionAppConfig and rejects these settings.
        var names = AppSettings(Site).Select(s => s.Name).ToList();
        foreach (var rejected in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING" })
        {
            Assert.DoesNotContain(rejected, names);
        }
    }

    [Fact]
    public void RequestBodySizeLimit_LetsTheHostPassEverySinglePutTheAppAccepts()
    {
        var (_, _, resolved) = Assert.Single(AppSettings(Site), s => s.Name == "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT");
        var limit = long.Parse(resolved, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
        // The host's default is 100 MB; below S3's 5 GiB the host would answer 500 to PUTs the app accepts.
        var maxObject = new R2Meta.S3.S3Options().MaxObjectSize;
        Assert.True(limit >= maxObject, $"{limit} < S3Options.MaxObjectSize {maxObject}");
        Assert.True(limit >= R2Meta.Domain.Services.MultipartService.MaxPartSize);
        // Headroom for aws-chunked framing (signature per chunk), not a second, larger object limit.
        Assert.True(limit <= maxObject + (maxObject / 32), $"{limit} leaves far more than framing headroom");

        // The README's Deploy section states the same number and what clients should do about the 230 s limit.
        var readme = File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "README.md"));
        var deploy = readme[readme.IndexOf("## Deploy to Azure", StringComparison.Ordinal)..readme.IndexOf("## Settings", StringComparison.Ordinal)];
        Assert.Contains(limit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), deploy, StringComparison.Ordinal);
        Assert.Contains("230 seconds", deploy, StringComparison.Ordinal);
        Assert.Contains("multipart", deploy, StringComparison.Ordinal);
    }

    [Fact]
    public void Telemetry_GoesToWorkspaceBasedApplicationInsights()
    {
        var component = Assert.Single(bicep.Template.OfType("Microsoft.Insights/components"));
        Assert.NotNull(component.Raw["properties"]?["WorkspaceResourceId"]);
        Assert.Single(bicep.Template.OfType("Microsoft.OperationalInsights/workspaces"));
        Assert.True(component.Node("properties.DisableLocalAuth")!.GetValue<bool>());
        var settings = AppSettings(Site).ToList();
        Assert.Contains(settings, s => s.Name == "APPLICATIONINSIGHTS_CONNECTION_STRING"
            && s.Raw.Contains("'monitoring')", StringComparison.Ordinal)
            && s.Raw.Contains(".outputs.connectionString", StringComparison.Ordinal));
        // Local authentication is off: telemetry is sent with the managed identity.
        Assert.Contains(settings, s => s.Name == "APPLICATIONINSIGHTS_AUTHENTICATION_STRING" && s.Resolved == "Authorization=AAD");
    }

    [Fact]
    public void Output_S3Endpoint_IsTheSitesHttpsHostName()
    {
        var value = bicep.Compiled["outputs"]!["s3Endpoint"]!["value"]!.GetValue<string>();
        Assert.Contains("https://", value, StringComparison.Ordinal);
        Assert.Contains("defaultHostName", value, StringComparison.Ordinal);
    }

    /// <summary>Each app setting: its name, its value as compiled, and its value with constants evaluated.</summary>
    internal static IEnumerable<(string Name, string Raw, string Resolved)> AppSettings(ArmResource site)
    {
        var settings = Assert.IsType<JsonArray>(site.Raw["properties"]?["siteConfig"]?["appSettings"]);
        foreach (var setting in settings.OfType<JsonObject>())
        {
            var name = site.Scope.Resolve(setting["name"])!.GetValue<string>();
            var raw = setting["value"]?.GetValue<string>() ?? "";
            var resolved = site.Scope.Resolve(setting["value"])?.ToString() ?? "";
            yield return (name, raw, resolved);
        }
    }
}
