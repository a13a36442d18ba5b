using System.Text.Json;
using Azure;
using Azure.Core;

namespace R2Meta.Storage.Tables.Wire;

/// <summary>
/// Reads the Table service's error answer (<c>{"odata.error":{"code":…,"message":{"value":…}}}</c>) into the
/// <see cref="RequestFailedException"/> a failed request throws, as Azure.Data.Tables's own parser does: without it
/// Azure.Core's default finds no error code there, and the store's guard could not tell ServerBusy from other failures.
/// </summary>
internal sealed class TableErrorParser : RequestFailedDetailsParser
{
    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        ArgumentNullException.ThrowIfNull(response);
        error = null;
        data = null;
        if (response.ContentStream is null)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(BufferedContent.Of(response));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("odata.error"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? code = null;
            string? message = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    code = reader.GetString();
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    message = ReadMessage(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            error = new ResponseError(code, message);
            data = new Dictionary<string, string>();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? ReadMessage(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isValue = reader.ValueTextEquals("value"u8);
            reader.Read();
            if (isValue)
            {
                message = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return message;
    }
}
