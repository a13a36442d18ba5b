using System.Text.Json.Nodes;

namespace R2Meta.Infra.Tests;

/// <summary>Compiles and lints infra/main.bicep once for every test in the "bicep" collection.</summary>
public sealed class BicepFixture : IAsyncLifetime
{
    private JsonObject? _compiled;

    public BicepRun Build { get; private set; } = new(-1, "", "");

    public BicepRun Lint { get; private set; } = new(-1, "", "");

    /// <summary>The ARM template bicep compiled main.bicep into.</summary>
    public JsonObject Compiled => _compiled ?? throw new InvalidOperationException($"bicep build failed: {Build.Describe()}");

    /// <summary>The compiled template with its nested module deployments, expressions resolvable where they are constant.</summary>
    public ArmScope Template => new(Compiled);

    public async Task InitializeAsync()
    {
        // Each run loads a large self-contained binary: run both at once.
        var build = BicepCli.RunAsync("build", BicepCli.MainTemplate, "--stdout");
        var lint = BicepCli.RunAsync("lint", BicepCli.MainTemplate);
        Build = await build;
        Lint = await lint;
        if (Build.ExitCode == 0 && JsonNode.Parse(Build.StandardOutput) is JsonObject template)
        {
            _compiled = template;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition("bicep")]
public sealed class BicepCollection : ICollectionFixture<BicepFixture>;
