using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary><see cref="IUploadStore"/> on the uploads container (<see cref="CosmosModel.Uploads"/>): upload and part documents of a bucket in its partition.</summary>
public sealed partial class CosmosMetadataStore : IUploadStore
{
    // The bucket filter repeats the partition key because the local emulator ignores the latter.
    private const string UploadsOfBucketQuery = "SELECT * FROM c WHERE c.bucket = @bucket AND c.type = 'upload'";

    private const string ExpiredUploadsQuery = "SELECT * FROM c WHERE c.type = 'upload' AND c.initiatedMs < @cutoff";

    private const string PartsQuery =
        "SELECT TOP @limit * FROM c WHERE c.bucket = @bucket AND c.type = 'part' AND c.uploadId = @uploadId AND c.partNumber > @after ORDER BY c.partNumber";

    private const string PartIdsQuery = "SELECT c.id FROM c WHERE c.bucket = @bucket AND c.type = 'part' AND c.uploadId = @uploadId";

    private const int DeleteParallelism = 16;

    private Container Uploads => _client.GetContainer(_databaseName, CosmosModel.Uploads.Name);

    public Task<StoreResult<UploadRecord>> CreateUploadAsync(UploadRecord upload, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(upload);
        try
        {
            var response = await Uploads.CreateItemAsync(
                UploadDocument.FromRecord(upload), new PartitionKey(upload.Bucket), WithoutContent(), cancellationToken).ConfigureAwait(false);
            return StoreResult<UploadRecord>.Ok(upload with { Version = response.ETag });
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return StoreResult<UploadRecord>.Fail(StoreStatus.AlreadyExists);
        }
    }, cancellationToken);

    public Task<StoreResult<UploadRecord>> GetUploadAsync(string bucket, string uploadId, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        try
        {
            var response = await Uploads.ReadItemAsync<UploadDocument>(
                UploadDocument.IdOf(uploadId), new PartitionKey(bucket), cancellationToken: cancellationToken).ConfigureAwait(false);
            return StoreResult<UploadRecord>.Ok(response.Resource.ToRecord(response.ETag));
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return StoreResult<UploadRecord>.Fail(StoreStatus.NotFound);
        }
    }, cancellationToken);

    public Task<StoreResult<UploadRecord>> ReplaceUploadAsync(UploadRecord upload, string version, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(upload);
        var document = UploadDocument.FromRecord(upload);
        try
        {
            var response = await Uploads.ReplaceItemAsync(
                document, document.Id, new PartitionKey(upload.Bucket), WithoutContent(RequireVersion(version)), cancellationToken).ConfigureAwait(false);
            return StoreResult<UploadRecord>.Ok(upload with { Version = response.ETag });
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return StoreResult<UploadRecord>.Fail(StoreStatus.PreconditionFailed);
        }
    }, cancellationToken);

    public Task<StoreStatus> DeleteUploadAsync(string bucket, string uploadId, string version, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        try
        {
            await Uploads.DeleteItemAsync<UploadDocument>(
                UploadDocument.IdOf(uploadId), new PartitionKey(bucket), WithoutContent(RequireVersion(version)), cancellationToken).ConfigureAwait(false);
            return StoreStatus.Ok;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return StoreStatus.NotFound;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return StoreStatus.PreconditionFailed;
        }
    }, cancellationToken);

    public Task<IReadOnlyList<UploadRecord>> ListUploadsAsync(string bucket, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        var query = new QueryDefinition(UploadsOfBucketQuery).WithParameter("@bucket", bucket);
        using var iterator = Uploads.GetItemQueryIterator<UploadDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(bucket) });
        var uploads = new List<UploadRecord>();
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            uploads.AddRange(page.Select(document => document.ToRecord()));
        }

        return (IReadOnlyList<UploadRecord>)uploads;
    }, cancellationToken);

    public async IAsyncEnumerable<UploadRecord> ListUploadsInitiatedBeforeAsync(DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Cross-partition: a background job's scan over in-progress uploads.
        var query = new QueryDefinition(ExpiredUploadsQuery).WithParameter("@cutoff", cutoff.ToUnixTimeMilliseconds());
        using var iterator = Uploads.GetItemQueryIterator<UploadDocument>(query);
        while (iterator.HasMoreResults)
        {
            var page = await CosmosGuard.RunAsync(() => iterator.ReadNextAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var document in page)
            {
                yield return document.ToRecord();
            }
        }
    }

    public Task PutPartAsync(PartRecord part, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(part);
        await Uploads.UpsertItemAsync(PartDocument.FromRecord(part), new PartitionKey(part.Bucket), WithoutContent(), cancellationToken).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    public Task<IReadOnlyList<PartRecord>> ListPartsAsync(string bucket, string uploadId, int afterPartNumber, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = new QueryDefinition(PartsQuery)
            .WithParameter("@limit", limit)
            .WithParameter("@bucket", bucket)
            .WithParameter("@uploadId", uploadId)
            .WithParameter("@after", afterPartNumber);
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(bucket), MaxItemCount = Math.Min(limit, 1000) };
        return CosmosGuard.RunAsync(async () =>
        {
            using var iterator = Uploads.GetItemQueryIterator<PartDocument>(query, requestOptions: options);
            var parts = new List<PartRecord>(Math.Min(limit, 1000));
            while (parts.Count < limit && iterator.HasMoreResults)
            {
                var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
                parts.AddRange(page.Take(limit - parts.Count).Select(document => document.ToRecord()));
            }

            return (IReadOnlyList<PartRecord>)parts;
        }, cancellationToken);
    }

    /// <summary>One point delete per part (TransactionalBatch would need the emulator to support it), a few at a time.</summary>
    public Task DeletePartsAsync(string bucket, string uploadId, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        var partitionKey = new PartitionKey(bucket);
        var query = new QueryDefinition(PartIdsQuery).WithParameter("@bucket", bucket).WithParameter("@uploadId", uploadId);
        var ids = new List<string>();
        using (var iterator = Uploads.GetItemQueryIterator<IdOnly>(query, requestOptions: new QueryRequestOptions { PartitionKey = partitionKey }))
        {
            while (iterator.HasMoreResults)
            {
                var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
                ids.AddRange(page.Select(d => d.Id));
            }
        }

        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                await Uploads.DeleteItemAsync<PartDocument>(id, partitionKey, WithoutContent(), ct).ConfigureAwait(false);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Deleted concurrently: the outcome is the same.
            }
        }).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    private sealed class IdOnly
    {
        [System.Text.Json.Serialization.JsonPropertyName("id")]
        public required string Id { get; init; }
    }
}
