using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Cosmos;

namespace R2Meta.Bench.Targets;

/// <summary>
/// The floor R2Meta is measured against: the same stores, the same SDKs, no S3 layer. Per S3 operation it
/// makes the requests the data itself needs, no more: PUT = blob upload + metadata upsert of an entity
/// shaped like R2Meta's; GET = metadata point read + blob download; HEAD = metadata point read;
/// DELETE = metadata delete + blob delete. Tables and container are the bench's own.
/// </summary>
public sealed class RawStoreTarget : IObjectTarget, IDisposable
{
    private const string Partition = "bench";
    private readonly BlobContainerClient _blobs;
    private readonly IRawMetadata _metadata;

    private RawStoreTarget(BlobContainerClient blobs, IRawMetadata metadata)
    {
        _blobs = blobs;
        _metadata = metadata;
    }

    public string Name => "raw";

    public string Description => _metadata.Description;

    public static async Task<RawStoreTarget> CreateAsync(BenchOptions options, CancellationToken cancellationToken = default)
    {
        var blobs = new BlobContainerClient(options.StorageConnection, "r2bench-raw");
        await blobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        IRawMetadata metadata = options.Metadata == "cosmos"
            ? await CosmosMetadata.CreateAsync(options, cancellationToken).ConfigureAwait(false)
            : await TableMetadata.CreateAsync(options.StorageConnection!, cancellationToken).ConfigureAwait(false);
        return new RawStoreTarget(blobs, metadata);
    }

    public async Task PutAsync(string key, byte[] payload, CancellationToken cancellationToken = default)
    {
        await _blobs.GetBlobClient(key).UploadAsync(new BinaryData(payload), overwrite: true, cancellationToken).ConfigureAwait(false);
        await _metadata.UpsertAsync(key, payload.Length, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await _metadata.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        var response = await _blobs.GetBlobClient(key).DownloadStreamingAsync(new BlobDownloadOptions(), cancellationToken).ConfigureAwait(false);
        using var download = response.Value;
        return await Drain.CountAsync(download.Content, cancellationToken).ConfigureAwait(false);
    }

    public Task HeadAsync(string key, CancellationToken cancellationToken = default) => _metadata.ReadAsync(key, cancellationToken);

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        await _metadata.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        await _blobs.GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The large-object floor: Blob Storage's own upload of <paramref name="content"/> (seekable, of known length) with the
    /// SDK's default transfer options, what an application using Blob Storage directly gets; no metadata.
    /// </summary>
    public async Task<long> UploadBlobAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        await _blobs.GetBlobClient(key).UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
        return content.Length;
    }

    /// <summary>The large-object floor for reads: one streaming download of the whole blob, counted, not kept.</summary>
    public async Task<long> DownloadBlobAsync(string key, CancellationToken cancellationToken = default)
    {
        var response = await _blobs.GetBlobClient(key).DownloadStreamingAsync(new BlobDownloadOptions(), cancellationToken).ConfigureAwait(false);
        using var download = response.Value;
        return await Drain.CountAsync(download.Content, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteBlobAsync(string key, CancellationToken cancellationToken = default) =>
        _blobs.GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    public void Dispose() => (_metadata as IDisposable)?.Dispose();

    /// <summary>Row keys and Cosmos ids cannot hold '/'; the raw target does not need R2Meta's sortable encoding.</summary>
    private static string Id(string key) => key.Replace('/', '|');

    private interface IRawMetadata
    {
        string Description { get; }

        Task UpsertAsync(string key, long size, CancellationToken cancellationToken);

        Task ReadAsync(string key, CancellationToken cancellationToken);

        Task DeleteAsync(string key, CancellationToken cancellationToken);
    }

    private sealed class TableMetadata(TableClient table) : IRawMetadata
    {
        public string Description => "Table point read + upsert, blob upload + download";

        public static async Task<TableMetadata> CreateAsync(string connection, CancellationToken cancellationToken)
        {
            var table = new TableClient(connection, "r2benchraw");
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return new TableMetadata(table);
        }

        public async Task UpsertAsync(string key, long size, CancellationToken cancellationToken)
        {
            // The same properties R2Meta's ObjectEntityMapper writes for a plain PUT.
            var entity = new TableEntity(Partition, Id(key))
            {
                ["SchemaVersion"] = 1,
                ["Key"] = key,
                ["BlobName"] = key,
                ["Size"] = size,
                ["ObjectETag"] = "\"0123456789abcdef0123456789abcdef\"",
                ["LastModified"] = DateTimeOffset.UtcNow,
                ["StorageClass"] = "STANDARD",
                ["UserMetadata"] = "{}",
                ["Checksums"] = "{\"CRC32\":\"AAAAAA==\"}",
                ["ChecksumType"] = "FULL_OBJECT",
                ["ContentType"] = "application/octet-stream",
            };
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        public async Task ReadAsync(string key, CancellationToken cancellationToken) =>
            await table.GetEntityAsync<TableEntity>(Partition, Id(key), cancellationToken: cancellationToken).ConfigureAwait(false);

        public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
            await table.DeleteEntityAsync(Partition, Id(key), ETag.All, cancellationToken).ConfigureAwait(false);
    }

    private sealed class CosmosMetadata(CosmosClient client, Container container) : IRawMetadata, IDisposable
    {
        public string Description => "Cosmos point read + upsert, blob upload + download";

        public static async Task<CosmosMetadata> CreateAsync(BenchOptions options, CancellationToken cancellationToken)
        {
            var clientOptions = new CosmosClientOptions
            {
                ConnectionMode = ConnectionMode.Gateway,
                LimitToEndpoint = true,
                UseSystemTextJsonSerializerWithOptions = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase },
            };
            if (options.CosmosAcceptAnyCertificate)
            {
                clientOptions.ServerCertificateCustomValidationCallback = static (_, _, _) => true;
            }

            var client = new CosmosClient(options.CosmosEndpoint, options.CosmosKey, clientOptions);
            var database = await client.CreateDatabaseIfNotExistsAsync("r2benchraw", cancellationToken: cancellationToken).ConfigureAwait(false);
            var container = await database.Database.CreateContainerIfNotExistsAsync("objects", "/bucket", cancellationToken: cancellationToken).ConfigureAwait(false);
            return new CosmosMetadata(client, container.Container);
        }

        public async Task UpsertAsync(string key, long size, CancellationToken cancellationToken)
        {
            var document = new RawDocument(Id(key), Partition, key, key, size, "\"0123456789abcdef0123456789abcdef\"", DateTimeOffset.UtcNow);
            await container.UpsertItemAsync(document, new PartitionKey(Partition), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        public async Task ReadAsync(string key, CancellationToken cancellationToken) =>
            await container.ReadItemAsync<RawDocument>(Id(key), new PartitionKey(Partition), cancellationToken: cancellationToken).ConfigureAwait(false);

        public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
            await container.DeleteItemAsync<RawDocument>(Id(key), new PartitionKey(Partition), cancellationToken: cancellationToken).ConfigureAwait(false);

        public void Dispose() => client.Dispose();
    }

    private sealed record RawDocument(string Id, string Bucket, string Key, string BlobName, long Size, string ETag, DateTimeOffset LastModified)
    {
        public string StorageClass { get; init; } = "STANDARD";
        public int SchemaVersion { get; init; } = 1;
    }
}
