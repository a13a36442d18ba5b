using System.Diagnostics;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace R2Meta.Infra.Tests;

/// <summary>
/// `azd up` in one command: azure.yaml names the infra and the service, infra/main.bicepparam fills the template
/// from azd's environment, the postprovision hook seeds the credentials secret. azd is not installed here, so
/// the shape is checked: paths exist, the service's tag is on the Function App, the parameters file builds clean.
/// </summary>
[Collection("bicep")]
public sealed class AzdInfraTests(BicepFixture bicep)
{
    private static readonly Dictionary<string, string> AzdEnvironment = new(StringComparer.Ordinal)
    {
        ["AZURE_ENV_NAME"] = "R2Meta-Production-West",
        ["AZURE_LOCATION"] = "westeurope",
        ["AZURE_PRINCIPAL_ID"] = "00000000-0000-0000-0000-00000000abcd",
    };

    private static YamlMappingNode AzureYaml
    {
        get
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(Path.Combine(BicepCli.RepositoryRoot, "azure.yaml"));
            stream.Load(reader);
            return (YamlMappingNode)stream.Documents[0].RootNode;
        }
    }

    [Fact]
    public void AzureYaml_PointsAtTheBicepInfra()
    {
        var infra = Map(AzureYaml, "infra");
        Assert.Equal("bicep", Scalar(infra, "provider"));
        var folder = Path.Combine(BicepCli.RepositoryRoot, Scalar(infra, "path"));
        Assert.True(File.Exists(Path.Combine(folder, Scalar(infra, "module") + ".bicep")));
        // azd reads <module>.bicepparam next to the module.
        Assert.True(File.Exists(Path.Combine(folder, Scalar(infra, "module") + ".bicepparam")));
    }

    [Fact]
    public void AzureYaml_DeploysTheFunctionsProject_ToTheTaggedFunctionApp()
    {
        var services = Map(AzureYaml, "services");
        var (name, node) = Assert.Single(services.Children);
        var service = (YamlMappingNode)node;
        Assert.Equal("function", Scalar(service, "host"));
        Assert.Equal("dotnet", Scalar(service, "language"));
        var project = Path.Combine(BicepCli.RepositoryRoot, Scalar(service, "project"));
        Assert.True(File.Exists(Path.Combine(project, "R2Meta.Functions.csproj")), project);

        var site = Assert.Single(bicep.Template.OfType("Microsoft.Web/sites"));
        Assert.Equal(((YamlScalarNode)name).Value, site.Text("tags.azd-service-name"));
    }

    [Fact]
    public void PostprovisionHook_IsAShellScriptThatParses_AndWritesTheSecretFromAFile()
    {
        var hook = Map(Map(Map(AzureYaml, "hooks"), "postprovision"), "posix");
        Assert.Equal("sh", Scalar(hook, "shell"));
        var script = Path.Combine(BicepCli.RepositoryRoot, Scalar(hook, "run"));
        Assert.True(File.Exists(script), script);
        if (!OperatingSystem.IsWindows())
        {
            Assert.NotEqual(UnixFileMode.None, File.GetUnixFileMode(script) & UnixFileMode.UserExecute);
        }

        using var check = Process.Start(new ProcessStartInfo("sh", ["-n", script]) { RedirectStandardError = true })!;
        var errors = check.StandardError.ReadToEnd();
        check.WaitForExit();
        Assert.True(check.ExitCode == 0, errors);

        var text = File.ReadAllText(script);
        Assert.Contains("az keyvault secret set", text, StringComparison.Ordinal);
        Assert.Contains("--file \"$file\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("--value", text, StringComparison.Ordinal);
        // The names it reads are outputs of the template.
        foreach (var output in new[] { "keyVaultName", "credentialsSecretName", "functionAppName" })
        {
            Assert.Contains("${" + output, text, StringComparison.Ordinal);
            Assert.NotNull(bicep.Compiled["outputs"]![output]);
        }
    }

    [Fact]
    public async Task Bicepparam_BuildsAndLintsClean_FromAzdsEnvironment()
    {
        var parametersFile = Path.Combine(BicepCli.RepositoryRoot, "infra", "main.bicepparam");
        var build = await BicepCli.RunAsync(AzdEnvironment, "build-params", parametersFile, "--stdout");
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.True(string.IsNullOrWhiteSpace(build.StandardError), build.Describe());
        var lint = await BicepCli.RunAsync(AzdEnvironment, "lint", parametersFile);
        Assert.True(lint.ExitCode == 0 && string.IsNullOrWhiteSpace(lint.StandardError + lint.StandardOutput), lint.Describe());

        var output = JsonNode.Parse(build.StandardOutput)!;
        var parameters = JsonNode.Parse(output["parametersJson"]!.GetValue<string>())!["parameters"]!;
        // namePrefix fits the template's 12 characters and lower case, whatever the azd environment is called.
        Assert.Equal("r2meta-produ", parameters["namePrefix"]!["value"]!.GetValue<string>());
        Assert.Equal("westeurope", parameters["location"]!["value"]!.GetValue<string>());
        Assert.Equal(AzdEnvironment["AZURE_PRINCIPAL_ID"], parameters["operatorPrincipalId"]!["value"]!.GetValue<string>());
        // No credential is read into the parameters: the secret is written to Key Vault, not deployed.
        Assert.Null(parameters["r2metaCredentials"]);
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        Assert.IsType<YamlMappingNode>(node.Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlMappingNode node, string key) =>
        Assert.IsType<YamlScalarNode>(node.Children[new YamlScalarNode(key)]).Value!;
}
