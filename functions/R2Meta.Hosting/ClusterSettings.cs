using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace R2Meta.Hosting;

/// <summary>
/// One extra metadata cluster, from <c>R2META_CLUSTERS__&lt;n&gt;__&lt;SETTING&gt;</c> (n from 0). The single-store settings
/// (R2META_STORAGE_CONNECTION, R2META_TABLE_PREFIX, R2META_COSMOS_*) describe the first, home cluster, named by
/// R2META_CLUSTER_NAME ("default") and labelled by R2META_CLUSTER_LOCATION (R2META_REGION); a setting an extra
/// cluster leaves out is the home cluster's. Every cluster uses the backend R2META_METADATA names.
/// </summary>
public sealed record ClusterSettings
{
    public const string Section = "R2META_CLUSTERS";

    /// <summary>The same list as one JSON array of objects (camelCase names of the properties below): what infra/ sets.</summary>
    public const string JsonSetting = "R2META_CLUSTERS_JSON";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    public required string Name { get; init; }
    public required string Location { get; init; }
    public int Weight { get; init; } = 1;
    public string? StorageConnection { get; init; }
    public Uri? StorageTableUri { get; init; }
    public string? TablePrefix { get; init; }
    public string? CosmosEndpoint { get; init; }
    public string? CosmosKey { get; init; }
    public string? CosmosDatabase { get; init; }

    public static IReadOnlyList<ClusterSettings> ReadExtra(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var clusters = new List<ClusterSettings>();
        foreach (var child in configuration.GetSection(Section).GetChildren().OrderBy(c => int.TryParse(c.Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue))
        {
            // An entry without a name is no cluster (local.settings.sample.json lists the names empty).
            if (Text(child, "NAME") is not { } name)
            {
                continue;
            }

            clusters.Add(new ClusterSettings
            {
                Name = name,
                Location = Text(child, "LOCATION") ?? throw new InvalidOperationException($"{Section}__{child.Key}__LOCATION is required."),
                Weight = Text(child, "WEIGHT") is { } weight
                    ? int.TryParse(weight, NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) && w >= 0 ? w : throw new InvalidOperationException($"{Section}__{child.Key}__WEIGHT must be 0 or more.")
                    : 1,
                StorageConnection = Text(child, "STORAGE_CONNECTION"),
                StorageTableUri = Text(child, "STORAGE_TABLE_URI") is { } uri ? new Uri(uri, UriKind.Absolute) : null,
                TablePrefix = Text(child, "TABLE_PREFIX"),
                CosmosEndpoint = Text(child, "COSMOS_ENDPOINT"),
                CosmosKey = Text(child, "COSMOS_KEY"),
                CosmosDatabase = Text(child, "COSMOS_DATABASE"),
            });
        }

        if (Text(configuration, JsonSetting) is { } json)
        {
            try
            {
                clusters.AddRange(JsonSerializer.Deserialize<List<ClusterSettings>>(json, JsonOptions) ?? []);
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"{JsonSetting} must be a JSON array of {{\"name\", \"location\", \"weight\", \"cosmosEndpoint\", ...}} objects: {e.Message}", e);
            }
        }

        if (clusters.Count == 0)
        {
            // The empty list is one instance, so settings without extra clusters compare equal.
            return [];
        }

        return clusters;
    }

    private static string? Text(IConfiguration section, string name) => section[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
