using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace R2Meta.Storage.Tables.Transactions;

/// <summary>
/// Reads the multipart answer to a $batch (status 202): one inner HTTP response per action when the changeset
/// committed, or the single inner error response when it did not. Read line by line over the bytes, with no line
/// length limit: the Location and DataServiceId lines of inserts hold the percent-encoded RowKey and can be several
/// KB long (see <see cref="BatchResponseHeaderPolicy"/>); they are skipped like every header but ETag.
/// </summary>
internal static class TransactionResponse
{
    /// <summary>Key of <see cref="Exception.Data"/> from which <see cref="TableTransactionFailedException"/> takes the failed action's index.</summary>
    private const string FailedEntityKey = "FailedEntity";

    /// <summary>The ETag of each action's inner response (null where it carries none, e.g. a delete).</summary>
    /// <exception cref="TableTransactionFailedException">The service answered the changeset with an error.</exception>
    public static string?[] Read(ReadOnlySpan<byte> body, int actionCount)
    {
        var etags = new string?[actionCount];
        var responses = 0;
        var state = State.Between;
        var status = 0;
        var errorStart = 0;
        for (var start = 0; start < body.Length;)
        {
            var newline = body[start..].IndexOf((byte)'\n');
            var end = newline < 0 ? body.Length : start + newline + 1;
            var line = body[start..end].TrimEnd("\r\n"u8);
            switch (state)
            {
                case State.Between when line.StartsWith("HTTP/"u8):
                    status = StatusOf(line);
                    responses++;
                    state = State.Headers;
                    break;
                case State.Headers when line.IsEmpty:
                    state = State.Body;
                    errorStart = end;
                    break;
                case State.Headers when status < 400 && HeaderValue(line, "ETag"u8) is { IsEmpty: false } etag && responses <= actionCount:
                    etags[responses - 1] = Encoding.UTF8.GetString(etag);
                    break;
                case State.Body when line.StartsWith("--"u8):
                    if (status >= 400)
                    {
                        throw Failure(status, body[errorStart..start]);
                    }

                    state = State.Between;
                    break;
            }

            start = end;
        }

        if (state == State.Body && status >= 400)
        {
            throw Failure(status, body[errorStart..]);
        }

        return responses == actionCount
            ? etags
            : throw new InvalidOperationException($"The transaction's answer holds {responses} responses for {actionCount} actions.");
    }

    /// <summary>
    /// What Azure.Data.Tables throws for a failed changeset: status and error code of the inner response, and the
    /// index of the failed action, which the service puts in front of its message ("2:The specified entity ...").
    /// </summary>
    internal static TableTransactionFailedException Failure(int status, ReadOnlySpan<byte> errorBody)
    {
        var (code, message) = ReadError(errorBody.Trim("\r\n "u8));
        var failed = new RequestFailedException(status, $"{message}{Environment.NewLine}Status: {status}, ErrorCode: {code}", code, innerException: null);
        if (IndexOf(message) is { } index)
        {
            failed.Data[FailedEntityKey] = index.ToString(CultureInfo.InvariantCulture);
        }

        return new TableTransactionFailedException(failed);
    }

    /// <summary>The code and message of an OData error: <c>{"odata.error":{"code":"…","message":{"lang":"…","value":"…"}}}</c>.</summary>
    private static (string? Code, string Message) ReadError(ReadOnlySpan<byte> json)
    {
        string? code = null;
        string? message = null;
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            return (null, Encoding.UTF8.GetString(json));
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.ValueTextEquals("code"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    code = reader.GetString();
                }
                else if (reader.ValueTextEquals("value"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    message = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // A malformed error body still fails the transaction; keep what was read.
        }

        return (code, message ?? Encoding.UTF8.GetString(json));
    }

    private static int? IndexOf(string message)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    /// <summary>The status code of a status line, <c>HTTP/1.1 204 No Content</c>.</summary>
    private static int StatusOf(ReadOnlySpan<byte> line)
    {
        var space = line.IndexOf((byte)' ');
        return space > 0 && line.Length >= space + 4 && int.TryParse(line.Slice(space + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status
            : throw new InvalidOperationException("The transaction's answer holds a malformed status line.");
    }

    private static ReadOnlySpan<byte> HeaderValue(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name) =>
        line.Length > name.Length && line[name.Length] == (byte)':' && Ascii.EqualsIgnoreCase(line[..name.Length], name)
            ? line[(name.Length + 1)..].Trim((byte)' ')
            : default;

    private enum State
    {
        Between,
        Headers,
        Body,
    }
}
