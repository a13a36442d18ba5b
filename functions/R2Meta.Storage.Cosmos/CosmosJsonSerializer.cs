using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// System.Text.Json for the store's documents, read straight from the answer's UTF-8 bytes. The SDK's own
/// System.Text.Json serializer (<see cref="CosmosClientOptions.UseSystemTextJsonSerializerWithOptions"/>) reads
/// every answer into a string first (a StreamReader to the end, then deserializes the string): for a listing
/// page that was the largest allocation of the request (the page transcoded to UTF-16 and copied twice).
/// Same results as the SDK's for the same options: a <see cref="Stream"/> is handed through, an empty answer is default.
/// </summary>
internal sealed class CosmosJsonSerializer(JsonSerializerOptions options) : CosmosSerializer
{
    public override T FromStream<T>(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (typeof(Stream).IsAssignableFrom(typeof(T)))
        {
            return (T)(object)stream;
        }

        using (stream)
        {
            // The SDK buffers answers into a MemoryStream: read its array in place.
            if (stream is MemoryStream memory && memory.TryGetBuffer(out var buffered))
            {
                var json = buffered.AsSpan((int)memory.Position);
                return json.IsEmpty ? default! : JsonSerializer.Deserialize<T>(json, options)!;
            }

            if (stream.CanSeek && stream.Length == stream.Position)
            {
                return default!;
            }

            return JsonSerializer.Deserialize<T>(stream, options)!;
        }
    }

    public override Stream ToStream<T>(T input)
    {
        var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, input, options);
        stream.Position = 0;
        return stream;
    }
}
