using System.Text.Json;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// Reads the content headers of an object or upload document of schema version 1, which kept each header
/// as a top-level property (version 2 nests them in one <c>headers</c> sub-document). Goes with version 1.
/// </summary>
internal static class Version1Headers
{
    /// <param name="properties">The document's properties no member of the current document maps.</param>
    public static ContentHeaders Read(IReadOnlyDictionary<string, JsonElement>? properties) => properties is null ? ContentHeaders.None : new()
    {
        ContentType = String(properties, "contentType"),
        ContentEncoding = String(properties, "contentEncoding"),
        ContentDisposition = String(properties, "contentDisposition"),
        ContentLanguage = String(properties, "contentLanguage"),
        CacheControl = String(properties, "cacheControl"),
        Expires = String(properties, "expires"),
        UserMetadata = properties.TryGetValue("userMetadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            ? metadata.Deserialize<Dictionary<string, string>>() ?? []
            : [],
    };

    private static string? String(IReadOnlyDictionary<string, JsonElement> properties, string name) =>
        properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
