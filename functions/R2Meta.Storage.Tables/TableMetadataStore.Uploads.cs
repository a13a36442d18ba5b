using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary><see cref="IUploadStore"/>: tables <c>{prefix}uploads</c> and <c>{prefix}parts</c> (see <see cref="UploadEntityMapper"/>).</summary>
public sealed partial class TableMetadataStore : IUploadStore
{
    public Task<StoreResult<UploadRecord>> CreateUploadAsync(UploadRecord upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return TableGuard.RunAsync(async () =>
        {
            try
            {
                var response = await _uploads.AddEntityAsync(UploadEntityMapper.ToEntity(upload), cancellationToken).ConfigureAwait(false);
                return StoreResult<UploadRecord>.Ok(upload with { Version = response.Headers.ETag?.ToString() });
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return StoreResult<UploadRecord>.Fail(StoreStatus.AlreadyExists);
            }
        }, cancellationToken);
    }

    public Task<StoreResult<UploadRecord>> GetUploadAsync(string bucket, string uploadId, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        var entity = await GetEntityIfExistsAsync(_uploads, bucket, uploadId, select: null, cancellationToken).ConfigureAwait(false);
        return entity is not null
            ? StoreResult<UploadRecord>.Ok(UploadEntityMapper.FromEntity(entity))
            : StoreResult<UploadRecord>.Fail(StoreStatus.NotFound);
    }, cancellationToken);

    public Task<StoreResult<UploadRecord>> ReplaceUploadAsync(UploadRecord upload, string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return TableGuard.RunAsync(async () =>
        {
            try
            {
                var response = await _uploads.UpdateEntityAsync(UploadEntityMapper.ToEntity(upload), new ETag(version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return StoreResult<UploadRecord>.Ok(upload with { Version = response.Headers.ETag?.ToString() });
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                return StoreResult<UploadRecord>.Fail(StoreStatus.PreconditionFailed);
            }
        }, cancellationToken);
    }

    public Task<StoreStatus> DeleteUploadAsync(string bucket, string uploadId, string version, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        try
        {
            var response = await _uploads.DeleteEntityAsync(bucket, uploadId, new ETag(version), cancellationToken).ConfigureAwait(false);
            return response.Status == 404 ? StoreStatus.NotFound : StoreStatus.Ok;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return StoreStatus.NotFound;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return StoreStatus.PreconditionFailed;
        }
    }, cancellationToken);

    public Task<IReadOnlyList<UploadRecord>> ListUploadsAsync(string bucket, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        var uploads = new List<UploadRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {bucket}");
        await foreach (var entity in _uploads.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            uploads.Add(UploadEntityMapper.FromEntity(entity));
        }

        return (IReadOnlyList<UploadRecord>)uploads;
    }, cancellationToken);

    public async IAsyncEnumerable<UploadRecord> ListUploadsInitiatedBeforeAsync(DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A table scan across partitions: fine for a background job over in-progress uploads.
        var filter = TableClient.CreateQueryFilter($"Initiated lt {cutoff}");
        var pages = _uploads.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).AsPages();
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (await TableGuard.RunAsync(() => enumerator.MoveNextAsync().AsTask(), cancellationToken).ConfigureAwait(false))
        {
            foreach (var entity in enumerator.Current.Values)
            {
                yield return UploadEntityMapper.FromEntity(entity);
            }
        }
    }

    public Task PutPartAsync(PartRecord part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        return TableGuard.RunAsync(() => _parts.UpsertEntityAsync(UploadEntityMapper.ToEntity(part), TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<PartRecord>> ListPartsAsync(string bucket, string uploadId, int afterPartNumber, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {uploadId} and RowKey gt {UploadEntityMapper.PartRowKey(afterPartNumber)}");
        return TableGuard.RunAsync(() => ReadRowsAsync(_parts, filter, limit, UploadEntityMapper.PartFromEntity, keep: null, select: null, cancellationToken), cancellationToken);
    }

    public Task DeletePartsAsync(string bucket, string uploadId, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {uploadId}");
        var keys = new List<TableEntity>();
        await foreach (var entity in _parts.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // A projection may leave PartitionKey unset; the delete needs both keys.
            keys.Add(new TableEntity(uploadId, entity.RowKey));
        }

        foreach (var chunk in keys.Chunk(MaxBatch))
        {
            try
            {
                await SubmitTransactionAsync(
                    _parts, [.. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All))], cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException)
            {
                // Some entity of the batch went away meanwhile (a concurrent delete); delete the rest one by one.
                foreach (var entity in chunk)
                {
                    await _parts.DeleteEntityAsync(uploadId, entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }, cancellationToken);
}
