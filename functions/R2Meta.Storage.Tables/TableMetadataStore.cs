using Azure;
using Azure.Data.Tables;
using R2Meta.Core.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// <see cref="IMetadataStore"/> on Azure Table Storage. Tables <c>{prefix}buckets</c> (one partition,
/// RowKey = bucket name) and <c>{prefix}objects</c> (PartitionKey = bucket, RowKey = sort key).
/// A record's <see cref="ObjectRecord.Version"/> is the entity's ETag.
/// </summary>
public sealed partial class TableMetadataStore : IMetadataStore
{
    private readonly TableClient _buckets;
    private readonly TableClient _objects;
    private readonly TableClient _uploads;
    private readonly TableClient _parts;

    public TableMetadataStore(TableMetadataOptions options)
        : this(CreateService(options), options)
    {
    }

    public TableMetadataStore(TableServiceClient service, TableMetadataOptions options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        _buckets = service.GetTableClient(options.TablePrefix + "buckets");
        _objects = service.GetTableClient(options.TablePrefix + "objects");
        _uploads = service.GetTableClient(options.TablePrefix + "uploads");
        _parts = service.GetTableClient(options.TablePrefix + "parts");
    }

    private static TableServiceClient CreateService(TableMetadataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options switch
        {
            { ServiceUri: { } uri, Credential: { } credential } => new TableServiceClient(uri, credential),
            { ConnectionString: { Length: > 0 } connection } => new TableServiceClient(connection),
            _ => throw new ArgumentException("A table service URI with a credential, or a connection string, is required.", nameof(options)),
        };
    }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // CreateIfNotExists already treats "table exists" (409) as success, so racing initializers are fine.
            await _buckets.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await _objects.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await _uploads.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await _parts.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (TableErrors.IsThrottled(e))
        {
            throw TableErrors.Throttled(e);
        }
    }

    public async Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _buckets.GetEntityIfExistsAsync<TableEntity>(BucketEntityMapper.Partition, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.HasValue
                ? StoreResult<BucketRecord>.Ok(BucketEntityMapper.FromEntity(response.Value!))
                : StoreResult<BucketRecord>.Fail(StoreStatus.NotFound);
        }
        catch (RequestFailedException e) when (TableErrors.IsThrottled(e))
        {
            throw TableErrors.Throttled(e);
        }
    }

    public async Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        try
        {
            var response = await _buckets.AddEntityAsync(BucketEntityMapper.ToEntity(bucket), cancellationToken).ConfigureAwait(false);
            return StoreResult<BucketRecord>.Ok(bucket with { Version = response.Headers.ETag?.ToString() });
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The existing record tells the caller whether the bucket is already theirs.
            var existing = await GetBucketAsync(bucket.Name, cancellationToken).ConfigureAwait(false);
            return new StoreResult<BucketRecord>(StoreStatus.AlreadyExists, existing.Value);
        }
        catch (RequestFailedException e) when (TableErrors.IsThrottled(e))
        {
            throw TableErrors.Throttled(e);
        }
    }

    public async Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            // The SDK answers a delete of a missing entity with the 404 response instead of throwing.
            var response = await _buckets.DeleteEntityAsync(BucketEntityMapper.Partition, name, ETag.All, cancellationToken).ConfigureAwait(false);
            return response.Status == 404 ? StoreStatus.NotFound : StoreStatus.Ok;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return StoreStatus.NotFound;
        }
        catch (RequestFailedException e) when (TableErrors.IsThrottled(e))
        {
            throw TableErrors.Throttled(e);
        }
    }

    public async Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {BucketEntityMapper.Partition} and OwnerId eq {ownerId}");
        var buckets = new List<BucketRecord>();
        try
        {
            // One query; the service may still split its answer into pages (1,000 rows or 5 seconds each).
            await foreach (var entity in _buckets.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                buckets.Add(BucketEntityMapper.FromEntity(entity));
            }
        }
        catch (RequestFailedException e) when (TableErrors.IsThrottled(e))
        {
            throw TableErrors.Throttled(e);
        }

        // Rows come back in RowKey order already; sorting keeps the contract independent of that.
        buckets.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
        return buckets;
    }

    public async Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _objects.GetEntityIfExistsAsync<TableEntity>(bucket, Core.Keys.SortKeyCodec.Encode(key), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!response.HasValue)
            {
                return StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound);
            }

            var record = ObjectEntityMapper.FromEntity(response.Value!);

            // Keys longer than the sortable prefix share a RowKey only on a hash collision; never return another key.
            return string.Equals(record.Key, key, StringComparison.Ordinal)
                ? StoreResult<ObjectRecord>.Ok(record)
                : StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound);
        }
        catch (RequestFailedException e) when (TableErrors.IsThrottled(e))
        {
            throw TableErrors.Throttled(e);
        }
    }

    public async Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = ObjectEntityMapper.ToEntity(record);
        try
        {
            Response response;
            if (condition.Kind == WriteConditionKind.IfAbsent)
            {
                response = await _objects.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var version = condition.Version ?? throw new ArgumentException("IfVersion needs a version.", nameof(condition));
                response = await _objects.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return StoreResult<ObjectRecord>.Ok(record with { Version = response.Headers.ETag?.ToString() });
        }
        catch (RequestFailedException e) when (condition.Kind == WriteConditionKind.IfAbsent && e.Status == 409)
        {
            return StoreResult<ObjectRecord>.Fail(StoreStatus.AlreadyExists);
        }
        catch (RequestFailedException e) when (condition.Kind == WriteConditionKind.IfVersion && e.Status is 412 or 404)
        {
            // 404: the version the caller read is gone, which is the same failed precondition.
            return StoreResult<ObjectRecord>.Fail(StoreStatus.PreconditionFailed);
        }
        catch (RequestFailedException e) when (TableErrors.IsThrottled(e))
        {
            throw TableErrors.Throttled(e);
        }
    }

    /// <returns><see cref="StoreStatus.NotFound"/> when no entity exists, <see cref="StoreStatus.PreconditionFailed"/> when another version does.</returns>
    public async Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _objects.DeleteEntityAsync(bucket, Core.Keys.SortKeyCodec.Encode(key), new ETag(version), cancellationToken).ConfigureAwait(false);
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
        catch (RequestFailedException e) when (TableErrors.IsThrottled(e))
        {
            throw TableErrors.Throttled(e);
        }
    }

    /// <summary>
    /// One query, normally one round trip: the first page of at most <paramref name="limit"/> rows. The
    /// service may end a page early (5 seconds, partition boundaries, 1,000 rows) and hand back a
    /// continuation; callers read a short page as the end of the range, so such pages are followed
    /// until <paramref name="limit"/> rows or the true end, at one extra round trip each.
    /// </summary>
    public async Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var filter = toSortKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {fromSortKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {fromSortKey} and RowKey lt {toSortKey}");
        var records = new List<ObjectRecord>(Math.Min(limit, 1000));
        try
        {
            var pages = _objects.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken).AsPages();
            await foreach (var page in pages.ConfigureAwait(false))
            {
                foreach (var entity in page.Values)
                {
                    records.Add(ObjectEntityMapper.FromEntity(entity));
                    if (records.Count == limit)
                    {
                        return records;
                    }
                }

                if (page.ContinuationToken is null)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException e) when (TableErrors.IsThrottled(e))
        {
            throw TableErrors.Throttled(e);
        }

        return records;
    }

    public Task<IReadOnlyList<ListEntry>> ReadDirectoryAsync(string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
