using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// The <see cref="ContentHeaders"/> of an object or upload entity: one JSON string property serialized from
/// the record, so a new header changes no entity mapping. Schema version 1 kept each header in a property
/// of its own; those entities still read (<see cref="ReadVersion1"/>).
/// </summary>
internal static class HeadersProperty
{
    public const string Name = "Headers";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        // Stored, never rendered: escaping quotes, '<' or non-ASCII as \uXXXX would only grow the property
        // towards the 32K-character limit of a table string.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Adds the property, left out when there are no headers.</summary>
    public static void Write(TableEntity entity, ContentHeaders headers)
    {
        if (!headers.Equals(ContentHeaders.None))
        {
            entity[Name] = JsonSerializer.Serialize(headers, Json);
        }
    }

    public static ContentHeaders Read(TableEntity entity)
    {
        if (SchemaVersion.Of(entity) == SchemaVersion.Previous)
        {
            return ReadVersion1(entity);
        }

        return entity.GetString(Name) is { } json ? JsonSerializer.Deserialize<ContentHeaders>(json, Json) ?? ContentHeaders.None : ContentHeaders.None;
    }

    /// <summary>Schema version 1: one property per header, user metadata a JSON object. Goes with version 1.</summary>
    private static ContentHeaders ReadVersion1(TableEntity entity) => new()
    {
        ContentType = entity.GetString("ContentType"),
        ContentEncoding = entity.GetString("ContentEncoding"),
        ContentDisposition = entity.GetString("ContentDisposition"),
        ContentLanguage = entity.GetString("ContentLanguage"),
        CacheControl = entity.GetString("CacheControl"),
        Expires = entity.GetString("Expires"),
        UserMetadata = entity.GetString("UserMetadata") is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : [],
    };
}
