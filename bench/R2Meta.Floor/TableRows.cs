using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace R2Meta.Floor;

/// <summary>
/// The floor's table requests, one HTTP request each, straight over HttpClient with Shared Key Lite: no SDK
/// pipeline, so the floor pays for nothing but the round trip. Rows live in one partition; each holds the
/// object's size and ETag.
/// </summary>
internal sealed class TableRows
{
    private const string Partition = "b";
    private static readonly MediaTypeWithQualityHeaderValue NoMetadata = new("application/json") { Parameters = { new NameValueHeaderValue("odata", "nometadata") } };

    private static long _requests;

    /// <summary>Table requests sent so far (the bench's store requests per operation).</summary>
    public static long Requests => Interlocked.Read(ref _requests);

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly Uri _endpoint;
    private readonly string _account;
    private readonly byte[] _key;
    private readonly string _table;

    private TableRows(Uri endpoint, string account, byte[] key, string table)
    {
        _endpoint = endpoint;
        _account = account;
        _key = key;
        _table = table;
    }

    public static TableRows FromConnectionString(string connection, string table)
    {
        var settings = connection.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        var account = settings["AccountName"];
        var endpoint = settings.TryGetValue("TableEndpoint", out var e) ? e : $"https://{account}.table.core.windows.net";
        return new TableRows(new Uri(endpoint.TrimEnd('/') + "/"), account, Convert.FromBase64String(settings["AccountKey"]), table);
    }

    public async Task UpsertAsync(string rowKey, long size, string etag, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put, rowKey);
        request.Content = JsonContent(size, etag);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The row's size and ETag, or null when there is none.</summary>
    public async Task<(long Size, string ETag)?> ReadAsync(string rowKey, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, rowKey);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var reader = new Utf8JsonReader(body);
        long size = 0;
        var etag = string.Empty;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("Size"u8) && reader.Read())
            {
                size = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("ETag"u8) && reader.Read())
            {
                etag = reader.GetString() ?? string.Empty;
            }
        }

        return (size, etag);
    }

    public async Task DeleteAsync(string rowKey, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Delete, rowKey);
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string rowKey)
    {
        var uri = new Uri(_endpoint, $"{_table}(PartitionKey='{Partition}',RowKey='{Uri.EscapeDataString(rowKey.Replace("'", "''", StringComparison.Ordinal))}')");
        var request = new HttpRequestMessage(method, uri);
        Interlocked.Increment(ref _requests);
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        // Shared Key Lite for the Table service: HMAC-SHA256 of the date and "/account" + the escaped path.
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(date + "\n/" + _account + uri.AbsolutePath)));
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", "2019-02-02");
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {_account}:{signature}");
        request.Headers.Accept.Add(NoMetadata);
        return request;
    }

    private static ByteArrayContent JsonContent(long size, string etag)
    {
        using var buffer = new MemoryStream(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Size"u8, size);
            writer.WriteString("ETag"u8, etag);
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
