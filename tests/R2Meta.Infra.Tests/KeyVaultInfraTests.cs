using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using R2Meta.Hosting;

namespace R2Meta.Infra.Tests;

/// <summary>R2META_CREDENTIALS lives in Key Vault: the app setting is a reference the app's identity resolves.</summary>
[Collection("bicep")]
public sealed partial class KeyVaultInfraTests(BicepFixture bicep)
{
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string SecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

    private ArmResource Site => Assert.Single(bicep.Template.OfType("Microsoft.Web/sites"));

    private ArmResource Vault => Assert.Single(bicep.Template.OfType("Microsoft.KeyVault/vaults"));

    [Fact]
    public void Credentials_AreAKeyVaultReferenceToTheVaultsSecret()
    {
        var (_, raw, _) = Assert.Single(FunctionAppInfraTests.AppSettings(Site), s => s.Name == "R2META_CREDENTIALS");
        Assert.Matches(KeyVaultReference(), raw);
        // The secret URI comes from the Key Vault module: the vault's URI, "secrets/", the secret's name.
        Assert.Contains("'keyvault')", raw, StringComparison.Ordinal);
        Assert.Contains(".outputs.credentialsSecretUri.value", raw, StringComparison.Ordinal);
        var output = bicep.Template.ModuleNamed("keyvault").Template["outputs"]!["credentialsSecretUri"]!["value"]!.GetValue<string>();
        Assert.Contains("vaultUri", output, StringComparison.Ordinal);
        Assert.Contains("secrets/", output, StringComparison.Ordinal);
        Assert.Equal("SystemAssigned", Site.Text("properties.keyVaultReferenceIdentity"));
    }

    [Fact]
    public void Vault_AuthorizesWithRbacAndKeepsDeletedSecrets()
    {
        Assert.True(Vault.Node("properties.enableRbacAuthorization")!.GetValue<bool>());
        Assert.Null(Vault.Raw["properties"]?["accessPolicies"]);
        Assert.NotEqual(false, Vault.Node("properties.enableSoftDelete")?.GetValue<bool>());
        Assert.Equal("standard", Vault.Text("properties.sku.name"));
    }

    [Fact]
    public void AppIdentity_ReadsSecrets_OnlyTheOperatorWritesThem()
    {
        var roles = bicep.Template.ModuleNamed("roles");
        var reader = Assert.Single(roles.OfType("Microsoft.Authorization/roleAssignments"), a => (a.Raw["properties"]?["roleDefinitionId"]?.ToString() ?? "").Contains("keyVaultSecretsUser", StringComparison.Ordinal));
        Assert.Contains("Microsoft.KeyVault/vaults", reader.Raw["scope"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", reader.Text("properties.principalType"));
        Assert.Equal(SecretsUser, roles.Template["variables"]!["keyVaultSecretsUser"]!.GetValue<string>());

        var vaultModule = bicep.Template.ModuleNamed("keyvault");
        Assert.Equal(SecretsOfficer, vaultModule.Template["variables"]!["keyVaultSecretsOfficer"]!.GetValue<string>());
        var writer = Assert.Single(vaultModule.OfType("Microsoft.Authorization/roleAssignments"));
        // Only when an operator is named (azd passes AZURE_PRINCIPAL_ID).
        Assert.Contains("operatorPrincipalId", writer.Raw["condition"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void SecretFallback_IsAnOptionalSecureParameterWrittenOnlyWhenGiven()
    {
        var parameter = bicep.Compiled["parameters"]!["r2metaCredentials"]!.AsObject();
        Assert.Equal("securestring", parameter["type"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal("", parameter["defaultValue"]!.GetValue<string>());
        var secret = Assert.Single(bicep.Template.OfType("Microsoft.KeyVault/vaults/secrets"));
        Assert.Contains("empty(parameters('credentialsFallback'))", secret.Raw["condition"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[parameters('credentialsFallback')]", secret.Raw["properties"]!["value"]!.GetValue<string>());
        Assert.Equal("securestring", bicep.Template.ModuleNamed("keyvault").ParameterType("credentialsFallback"), ignoreCase: true);
        // The compiled template never carries a credential in plain text.
        Assert.DoesNotContain("r2meta-dev-secret-key", bicep.Compiled.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnresolvedReference_StopsTheAppInsteadOfBecomingAnAccount()
    {
        // What the app sees when the secret is missing or the identity lacks access: the reference text, which
        // splits at ':' into an access key id and a "secret" that is part of the public vault URI.
        var unresolved = "@Microsoft.KeyVault(SecretUri=https://r2metakv.vault.azure.net/secrets/r2meta-credentials)";
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("R2META_CREDENTIALS", (string?)unresolved)])
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => R2MetaSettings.From(configuration));
        Assert.Contains("Key Vault", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("r2metakv", error.Message, StringComparison.Ordinal);
        var runbook = Regex.Match(error.Message, @"docs/runbooks/[a-z0-9-]+\.md").Value;
        Assert.True(File.Exists(Path.Combine(BicepCli.RepositoryRoot, runbook)), $"'{runbook}' does not exist.");
    }

    [Fact]
    public void KeyEncryptionKey_IsAKeyVaultReferenceToTheVaultsSecret_AndUnresolvedStopsTheApp()
    {
        var (_, raw, _) = Assert.Single(FunctionAppInfraTests.AppSettings(Site), s => s.Name == "R2META_KEY_ENCRYPTION_KEY");
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})', reference(resourceId('Microsoft.Resources/deployments', 'keyvault')", raw, StringComparison.Ordinal);
        Assert.EndsWith(".outputs.keyEncryptionKeySecretUri.value)]", raw, StringComparison.Ordinal);
        var output = bicep.Template.ModuleNamed("keyvault").Template["outputs"]!["keyEncryptionKeySecretUri"]!["value"]!.GetValue<string>();
        Assert.Contains("secrets/", output, StringComparison.Ordinal);

        var unresolved = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("R2META_KEY_ENCRYPTION_KEY", (string?)"@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/r2meta-key-encryption-key)")])
            .Build();
        Assert.Throws<InvalidOperationException>(() => R2MetaSettings.From(unresolved));
    }

    [Fact]
    public void ResolvedCredentials_StillParse()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("R2META_CREDENTIALS", (string?)"R2MABC:s3cr3t")])
            .Build();
        Assert.Equal("R2MABC:s3cr3t", R2MetaSettings.From(configuration).Credentials);
    }

    [GeneratedRegex(@"^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}\)', reference\(resourceId\('Microsoft\.Resources/deployments', 'keyvault'\), '[0-9-]+'\)\.outputs\.credentialsSecretUri\.value\)\]$")]
    private static partial Regex KeyVaultReference();
}
