namespace R2Meta.Infra.Tests;

/// <summary>infra/ compiles and lints clean, offline, with the bicep CLI restored from NuGet.</summary>
[Collection("bicep")]
public sealed class BicepToolTests(BicepFixture bicep)
{
    [Fact]
    public void Build_MainTemplate_CompilesWithoutDiagnostics()
    {
        Assert.True(bicep.Build.ExitCode == 0, bicep.Build.Describe());
        // Warnings and errors go to stderr; a clean build writes nothing there.
        Assert.True(string.IsNullOrWhiteSpace(bicep.Build.StandardError), bicep.Build.Describe());
        Assert.NotNull(bicep.Compiled["resources"]);
    }

    [Fact]
    public void Lint_MainTemplate_ReportsNothing()
    {
        Assert.True(bicep.Lint.ExitCode == 0, bicep.Lint.Describe());
        Assert.True(string.IsNullOrWhiteSpace(bicep.Lint.StandardError), bicep.Lint.Describe());
        Assert.True(string.IsNullOrWhiteSpace(bicep.Lint.StandardOutput), bicep.Lint.Describe());
    }

    [Fact]
    public void Config_EnablesNoExperimentalFeature()
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "infra", "bicepconfig.json")))!;
        var experimental = config["experimentalFeaturesEnabled"]?.AsObject() ?? [];
        Assert.DoesNotContain(experimental, feature => feature.Value?.GetValue<bool>() == true);
    }
}
