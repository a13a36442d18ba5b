using System.Text.Json.Nodes;

namespace R2Meta.Infra.Tests;

/// <summary>The constant subset of the ARM expression language the infra tests rely on.</summary>
public sealed class ArmScopeTests
{
    private static readonly JsonObject Template = JsonNode.Parse("""
        {
          "parameters": {
            "prefix": { "type": "string", "defaultValue": "r2meta" },
            "location": { "type": "string", "defaultValue": "[resourceGroup().location]" },
            "secret": { "type": "securestring" }
          },
          "variables": {
            "tables": "[format('{0}buckets', parameters('prefix'))]",
            "quoted": "[concat('it''s', '-', toUpper('x'))]",
            "site": "[reference(resourceId('Microsoft.Web/sites', 'a')).defaultHostName]",
            "links": { "first": "[format('{0}docs/a.md', parameters('prefix'))]", "list": [ "x", "y" ] },
            "budgets": { "default": 1000, "PutObject": 10000 }
          },
          "resources": [
            {
              "type": "Microsoft.Resources/deployments",
              "name": "inner",
              "properties": {
                "parameters": { "name": { "value": "[variables('tables')]" }, "where": { "value": "[parameters('location')]" } },
                "template": {
                  "parameters": { "name": { "type": "string" }, "where": { "type": "string" } },
                  "resources": [
                    { "type": "Microsoft.Storage/storageAccounts/tableServices/tables", "name": "[format('{0}/{1}/{2}', parameters('where'), 'default', parameters('name'))]", "properties": { "literal": "[[not an expression]" } }
                  ]
                }
              }
            },
            { "type": "Microsoft.Storage/storageAccounts", "existing": true, "name": "elsewhere" }
          ]
        }
        """)!.AsObject();

    [Fact]
    public void Resolve_EvaluatesParametersVariablesAndFunctions()
    {
        var scope = new ArmScope(Template);
        Assert.Equal("r2metabuckets", scope.Resolve(JsonValue.Create("[variables('tables')]"))!.GetValue<string>());
        Assert.Equal("it's-X", scope.Resolve(JsonValue.Create("[variables('quoted')]"))!.GetValue<string>());
    }

    [Fact]
    public void Resolve_AccessesPropertiesAndIndexesOfConstants()
    {
        var scope = new ArmScope(Template);
        Assert.Equal("r2metadocs/a.md", scope.Resolve(JsonValue.Create("[variables('links').first]"))!.GetValue<string>());
        Assert.Equal("r2metadocs/a.md", scope.Resolve(JsonValue.Create("[variables('links').FIRST]"))!.GetValue<string>());
        Assert.Equal("y", scope.Resolve(JsonValue.Create("[variables('links').list[1]]"))!.GetValue<string>());
    }

    [Fact]
    public void Resolve_ReplacesAndStringifies()
    {
        var scope = new ArmScope(Template);
        Assert.Equal("let b = dynamic({\"default\":1000,\"PutObject\":10000});",
            scope.Resolve(JsonValue.Create("[replace('let b = dynamic({b});', '{b}', string(variables('budgets')))]"))!.GetValue<string>());
        Assert.Equal("n >= 20", scope.Resolve(JsonValue.Create("[replace('n >= {m}', '{m}', string(20))]"))!.GetValue<string>());
    }

    [Theory]
    [InlineData("[variables('links').missing]")]
    [InlineData("[variables('links').list[5]]")]
    [InlineData("[variables('site')]")]
    [InlineData("[parameters('location')]")]
    [InlineData("[parameters('secret')]")]
    [InlineData("[guid('a')]")]
    public void Resolve_LeavesWhatIsNotConstantAsWritten(string expression)
    {
        var resolved = new ArmScope(Template).Resolve(JsonValue.Create(expression));
        Assert.True(ArmScope.IsUnresolved(resolved));
        Assert.Equal(expression, resolved!.GetValue<string>());
    }

    [Fact]
    public void AllResources_PassParametersIntoModulesAndSkipExistingOnes()
    {
        var table = Assert.Single(new ArmScope(Template).AllResources, r => r.Type.EndsWith("/tables", StringComparison.Ordinal));
        Assert.Equal("inner", table.Scope.Name);
        Assert.Equal("r2metabuckets", table.Scope.LastNameSegment(table));
        Assert.True(ArmScope.IsUnresolved(table.Node("name")));
        Assert.Equal("[not an expression]", table.Text("properties.literal"));
        Assert.DoesNotContain(new ArmScope(Template).AllResources, r => r.Type == "Microsoft.Storage/storageAccounts");
    }
}
