using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace R2Meta.Storage.Tables.Transactions;

/// <summary>
/// The OData $batch body of one entity group transaction, written once into a pooled buffer: one changeset, one
/// inner HTTP request per action, in the layout, request lines and headers Azure.Data.Tables sends
/// (Add = POST to the table, Update = PUT or PATCH with If-Match, Upsert = the same without, Delete = DELETE with If-Match).
/// </summary>
internal static class TransactionBody
{
    /// <summary>The x-ms-version Azure.Data.Tables 12.13 sends, outside and inside the batch.</summary>
    public const string ServiceVersion = "2020-12-06";

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private static ReadOnlySpan<byte> PartHeaders => "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"u8;

    private static ReadOnlySpan<byte> Format => "?$format=application%2Fjson%3Bodata%3Dminimalmetadata HTTP/1.1\r\n"u8;

    private static readonly byte[] CommonHeaders = Encoding.ASCII.GetBytes($"x-ms-version: {ServiceVersion}\r\nDataServiceVersion: 3.0\r\n");

    private static ReadOnlySpan<byte> InsertHeaders =>
        "Prefer: return-no-content\r\nAccept: application/json;odata=minimalmetadata\r\nContent-Type: application/json;odata=nometadata\r\n\r\n"u8;

    private static ReadOnlySpan<byte> UpdateHeaders => "Accept: application/json\r\nContent-Type: application/json\r\n\r\n"u8;

    private static ReadOnlySpan<byte> DeleteHeaders => "Accept: application/json;odata=minimalmetadata\r\n\r\n"u8;

    /// <summary>Writes the body; <paramref name="batchId"/> names its boundary (the request's Content-Type carries it too).</summary>
    /// <param name="tableUrl">The table's URL, e.g. <c>http://127.0.0.1:10002/devstoreaccount1/objects</c>, as UTF-8.</param>
    /// <param name="host">The Host header value (the endpoint's host, without port: what the SDK sends).</param>
    public static void Write(PooledBufferWriter output, ReadOnlySpan<byte> tableUrl, ReadOnlySpan<byte> host, IReadOnlyList<TableTransactionAction> actions, Guid batchId)
    {
        var changesetId = Guid.NewGuid();
        output.Write("--batch_"u8);
        WriteGuid(output, batchId);
        output.Write("\r\nContent-Type: multipart/mixed; boundary=changeset_"u8);
        WriteGuid(output, changesetId);
        output.Write("\r\n\r\n"u8);

        using var json = new Utf8JsonWriter(output);
        foreach (var action in actions)
        {
            output.Write("--changeset_"u8);
            WriteGuid(output, changesetId);
            output.Write(Crlf);
            output.Write(PartHeaders);
            WriteRequest(output, json, tableUrl, host, action);
            output.Write(Crlf);
        }

        output.Write("--changeset_"u8);
        WriteGuid(output, changesetId);
        output.Write("--\r\n\r\n--batch_"u8);
        WriteGuid(output, batchId);
        output.Write("--\r\n"u8);
    }

    /// <summary>The request's Content-Type for a body written with <paramref name="batchId"/>.</summary>
    public static string ContentType(Guid batchId) => "multipart/mixed; boundary=batch_" + batchId.ToString("D");

    private static void WriteRequest(PooledBufferWriter output, Utf8JsonWriter json, ReadOnlySpan<byte> tableUrl, ReadOnlySpan<byte> host, TableTransactionAction action)
    {
        var entity = action.Entity;
        switch (action.ActionType)
        {
            case TableTransactionActionType.Add:
                output.Write("POST "u8);
                output.Write(tableUrl);
                output.Write(Format);
                WriteCommonHeaders(output, host);
                output.Write(InsertHeaders);
                WriteEntity(output, json, entity);
                return;
            case TableTransactionActionType.UpdateReplace or TableTransactionActionType.UpsertReplace:
                output.Write("PUT "u8);
                break;
            case TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpsertMerge:
                output.Write("PATCH "u8);
                break;
            case TableTransactionActionType.Delete:
                output.Write("DELETE "u8);
                break;
            default:
                throw new NotSupportedException($"Transaction action {action.ActionType} is not written by the transaction sender.");
        }

        WriteEntityUrl(output, tableUrl, entity.PartitionKey, entity.RowKey);
        output.Write(Format);
        WriteCommonHeaders(output, host);
        if (action.ActionType is TableTransactionActionType.UpdateReplace or TableTransactionActionType.UpdateMerge or TableTransactionActionType.Delete)
        {
            output.Write("If-Match: "u8);
            WriteUtf8(output, (action.ETag == default ? ETag.All : action.ETag).ToString());
            output.Write(Crlf);
        }

        if (action.ActionType == TableTransactionActionType.Delete)
        {
            output.Write(DeleteHeaders);
            return;
        }

        output.Write(UpdateHeaders);
        WriteEntity(output, json, entity);
    }

    private static void WriteCommonHeaders(PooledBufferWriter output, ReadOnlySpan<byte> host)
    {
        output.Write("Host: "u8);
        output.Write(host);
        output.Write(Crlf);
        output.Write(CommonHeaders);
    }

    private static void WriteEntity(PooledBufferWriter output, Utf8JsonWriter json, ITableEntity entity)
    {
        json.Reset(output);
        EntityJson.Write(json, entity as TableEntity ?? throw new NotSupportedException($"Entities of type {entity.GetType()} are not written by the transaction sender."));
        json.Flush();
    }

    /// <summary><c>{table}(PartitionKey='pk',RowKey='rk')</c>: quotes doubled, then every byte outside RFC 3986's unreserved set percent-encoded (Uri.EscapeDataString's rule).</summary>
    private static void WriteEntityUrl(PooledBufferWriter output, ReadOnlySpan<byte> tableUrl, string partitionKey, string rowKey)
    {
        output.Write(tableUrl);
        output.Write("(PartitionKey='"u8);
        WriteKey(output, partitionKey);
        output.Write("',RowKey='"u8);
        WriteKey(output, rowKey);
        output.Write("')"u8);
    }

    private static void WriteKey(PooledBufferWriter output, string key)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in key.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            var span = output.GetSpan(length * 6);
            var written = 0;
            foreach (var b in utf8[..length])
            {
                if (b == (byte)'\'')
                {
                    "%27%27"u8.CopyTo(span[written..]);
                    written += 6;
                }
                else if (IsUnreserved(b))
                {
                    span[written++] = b;
                }
                else
                {
                    span[written++] = (byte)'%';
                    span[written++] = HexDigit(b >> 4);
                    span[written++] = HexDigit(b & 0xF);
                }
            }

            output.Advance(written);
        }
    }

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'A' + value - 10);

    private static void WriteGuid(PooledBufferWriter output, Guid id)
    {
        var span = output.GetSpan(36);
        Utf8Formatter.TryFormat(id, span, out var written);
        output.Advance(written);
    }

    private static void WriteUtf8(PooledBufferWriter output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
