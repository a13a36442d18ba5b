using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace R2Meta.Floor;

/// <summary>
/// Per request, only the store round trips of the composite limit the bench compares R2Meta with: PUT = blob
/// upload + one table write, GET = table read + blob download, HEAD = table read, DELETE = table delete + blob
/// delete. No signature check, no aws-chunked decoding (the body is stored as sent), no XML, no conditions; only
/// the body's MD5 for the ETag. What is left is Kestrel, the HTTP client, the Blob SDK and the kernel, so
/// R2Meta's CPU per operation minus the floor's is what R2Meta itself costs on the same machine and load.
/// Path-style <c>/bucket/key</c>; a request without a key (CreateBucket) succeeds and does nothing. Keys map to
/// row keys with '/' as '|' (a row key cannot hold '/'); the bench's keys hold no '|'.
/// </summary>
internal sealed class FloorHandler
{
    /// <summary>The largest body the floor takes (Kestrel answers 413 beyond it): each PUT's body is buffered whole.</summary>
    public const long MaxBody = 4 << 20;

    private readonly TableRows _rows;
    private readonly BlobContainerClient _blobs;

    private FloorHandler(TableRows rows, BlobContainerClient blobs)
    {
        _rows = rows;
        _blobs = blobs;
    }

    public static async Task<FloorHandler> CreateAsync(string connection, string name)
    {
        await new TableServiceClient(connection).CreateTableIfNotExistsAsync(name).ConfigureAwait(false);
        var blobs = new BlobServiceClient(connection).GetBlobContainerClient(name);
        await blobs.CreateIfNotExistsAsync().ConfigureAwait(false);
        return new FloorHandler(TableRows.FromConnectionString(connection, name), blobs);
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path.Value == ProcessProbe.Path)
        {
            await ProcessProbe.ServeAsync(http).ConfigureAwait(false);
            return;
        }

        var path = http.Request.Path.Value.AsSpan().TrimStart('/');
        var slash = path.IndexOf('/');
        if (slash < 0 || slash == path.Length - 1)
        {
            return;
        }

        var rowKey = path[(slash + 1)..].ToString().Replace('/', '|');
        var cancellationToken = http.RequestAborted;
        switch (http.Request.Method)
        {
            case "PUT":
                await PutAsync(http, rowKey, cancellationToken).ConfigureAwait(false);
                break;
            case "GET" or "HEAD":
                await GetAsync(http, rowKey, cancellationToken).ConfigureAwait(false);
                break;
            case "DELETE":
                await _rows.DeleteAsync(rowKey, cancellationToken).ConfigureAwait(false);
                await _blobs.GetBlobClient(rowKey).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                break;
        }
    }

    private async Task PutAsync(HttpContext http, string rowKey, CancellationToken cancellationToken)
    {
        // The body goes up in one Put Blob, as R2Meta sends a small object (the Blob SDK would stage blocks for a stream
        // of unknown length). It is buffered whole, at most MaxBody: the floor serves the small-object workload only.
        using var body = new MemoryStream((int)Math.Clamp(http.Request.ContentLength ?? 0, 0, MaxBody));
        await http.Request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        body.Position = 0;
        await _blobs.GetBlobClient(rowKey).UploadAsync(body, overwrite: true, cancellationToken).ConfigureAwait(false);
        // S3's ETag of a single PUT is the body's MD5, and clients check a GET's body against it.
        var etag = "\"" + Convert.ToHexStringLower(MD5.HashData(body.GetBuffer().AsSpan(0, (int)body.Length))) + "\"";
        await _rows.UpsertAsync(rowKey, body.Length, etag, cancellationToken).ConfigureAwait(false);
        http.Response.Headers.ETag = etag;
    }

    private async Task GetAsync(HttpContext http, string rowKey, CancellationToken cancellationToken)
    {
        if (await _rows.ReadAsync(rowKey, cancellationToken).ConfigureAwait(false) is not var (size, etag))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.Headers.ETag = etag;
        http.Response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        if (HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.ContentLength = size;
            return;
        }

        var download = await _blobs.GetBlobClient(rowKey).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var content = download.Value.Content;
        http.Response.ContentLength = download.Value.Details.ContentLength;
        await content.CopyToAsync(http.Response.Body, cancellationToken).ConfigureAwait(false);
    }
}
