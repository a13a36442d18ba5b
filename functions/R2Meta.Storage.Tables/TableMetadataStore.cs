using Azure;
using Azure.Core;
using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;
using R2Meta.Storage.Tables.Queries;
using R2Meta.Storage.Tables.Transactions;

namespace R2Meta.Storage.Tables;

/// <summary>
/// <see cref="IMetadataStore"/> on Azure Table Storage. Tables <c>{prefix}buckets</c> (one partition,
/// RowKey = bucket name), <c>{prefix}keys</c> (the access keys) and <c>{prefix}objects</c> (PartitionKey = bucket, RowKey = sort key; above
/// every sort key, the bucket's directory index: see <see cref="DirectoryEntityMapper"/>).
/// A record's <see cref="ObjectRecord.Version"/> is the entity's ETag.
/// </summary>
public sealed partial class TableMetadataStore : IMetadataStore, IVersionStore
{
    /// <summary>Entity group transactions hold at most 100 operations on one partition.</summary>
    private const int MaxBatch = 100;

    private readonly TableClient _buckets;
    private readonly TableClient _objects;
    private readonly TableClient _uploads;
    private readonly TableClient _parts;
    private readonly TableClient _keys;
    private readonly TableClient _versions;

    /// <summary>Entity group transactions go through <see cref="TableTransactionSender"/> where it can authenticate itself; null: the SDK's.</summary>
    private readonly TableTransactionSender? _transactions;

    /// <summary>Point reads and queries go through <see cref="TableReader"/> where it can authenticate itself; null: the SDK's.</summary>
    private readonly TableReader? _reader;

    public TableMetadataStore(TableMetadataOptions options)
        : this(Connect(options), options)
    {
    }

    /// <param name="service">Created with <see cref="CreateClientOptions"/>. Transactions and reads then go through the SDK.</param>
    public TableMetadataStore(TableServiceClient service, TableMetadataOptions options)
        : this((service, null, null), options)
    {
    }

    private TableMetadataStore((TableServiceClient Service, TableTransactionSender? Transactions, TableReader? Reader) connection, TableMetadataOptions options)
    {
        var (service, transactions, reader) = connection;
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        _buckets = service.GetTableClient(options.TablePrefix + "buckets");
        _objects = service.GetTableClient(options.TablePrefix + "objects");
        _uploads = service.GetTableClient(options.TablePrefix + "uploads");
        _parts = service.GetTableClient(options.TablePrefix + "parts");
        _keys = service.GetTableClient(options.TablePrefix + "keys");
        _versions = service.GetTableClient(options.TablePrefix + "versions");
        _transactions = transactions;
        _reader = reader;
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        // CreateIfNotExists already treats "table exists" (409) as success, so racing initializers are fine.
        await _buckets.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _objects.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _uploads.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _parts.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _keys.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _versions.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    public Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        var entity = await GetEntityIfExistsAsync(_buckets, BucketEntityMapper.Partition, name, select: null, cancellationToken).ConfigureAwait(false);
        return entity is not null
            ? StoreResult<BucketRecord>.Ok(BucketEntityMapper.FromEntity(entity))
            : StoreResult<BucketRecord>.Fail(StoreStatus.NotFound);
    }, cancellationToken);

    public Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return TableGuard.RunAsync(async () =>
        {
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
        }, cancellationToken);
    }

    public Task<StoreResult<BucketRecord>> ReplaceBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return TableGuard.RunAsync(async () =>
        {
            try
            {
                var response = await _buckets.UpdateEntityAsync(
                    BucketEntityMapper.ToEntity(bucket), new ETag(bucket.Version ?? throw new ArgumentException("A replace needs the version read.", nameof(bucket))), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return StoreResult<BucketRecord>.Ok(bucket with { Version = response.Headers.ETag?.ToString() });
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                return StoreResult<BucketRecord>.Fail(StoreStatus.PreconditionFailed);
            }
        }, cancellationToken);
    }

    public Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        await DeleteIndexRowsAsync(name, cancellationToken).ConfigureAwait(false);
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
    }, cancellationToken);

    public Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {BucketEntityMapper.Partition} and OwnerId eq {ownerId}");
        var buckets = new List<BucketRecord>();
        // One query; the service may still split its answer into pages (1,000 rows or 5 seconds each).
        await foreach (var entity in _buckets.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            buckets.Add(BucketEntityMapper.FromEntity(entity));
        }

        // Rows come back in RowKey order already; sorting keeps the contract independent of that.
        buckets.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
        return (IReadOnlyList<BucketRecord>)buckets;
    }, cancellationToken);

    public Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        var entity = await GetEntityIfExistsAsync(_objects, bucket, SortKeyCodec.Encode(key), select: null, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound);
        }

        var record = ObjectEntityMapper.FromEntity(entity);

        // Keys longer than the sortable prefix share a RowKey only on a hash collision; never return another key.
        return string.Equals(record.Key, key, StringComparison.Ordinal)
            ? StoreResult<ObjectRecord>.Ok(record)
            : StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound);
    }, cancellationToken);

    /// <summary>
    /// One entity group transaction: the conditional write of the object row (the commit point), an
    /// upsert of its entry row in the directory index, an upsert of the row of every directory above
    /// it, and the insert of an outbox row per pending event (<see cref="OutboxEntityMapper"/>; none
    /// without a notification configuration, so such commits cost what they did before). A key too deep for one transaction (more than <see cref="MaxBatch"/> - 2 directories) gets
    /// its shallowest directories upserted separately, before and again after the commit (see
    /// <see cref="UpsertDirectoriesAsync"/>).
    /// </summary>
    public Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = ObjectEntityMapper.ToEntity(record);
        var write = condition.Kind == WriteConditionKind.IfAbsent
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity,
                new ETag(condition.Version ?? throw new ArgumentException("IfVersion needs a version.", nameof(condition))));
        if (record.IsDeleteMarker)
        {
            return TableGuard.RunAsync(() => CommitDeleteMarkerAsync(record, condition, write, cancellationToken), cancellationToken);
        }

        var directories = DirectoryKeys.AncestorsOf(record.Key);
        var outside = directories.GetRange(0, Math.Max(0, directories.Count - (MaxBatch - 2 - OutboxEntityMapper.Count(record))));
        var actions = new List<TableTransactionAction>(Math.Min(directories.Count + 2 + OutboxEntityMapper.Count(record), MaxBatch))
        {
            write,
            new(TableTransactionActionType.UpsertReplace, DirectoryEntityMapper.ToEntryEntity(record)),
        };
        actions.AddRange(OutboxEntityMapper.Inserts(record.PendingEvents));
        actions.AddRange(directories.Skip(outside.Count).Select(d =>
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, DirectoryEntityMapper.ToDirectoryEntity(record.Bucket, d))));

        if (outside.Count == 0)
        {
            return TableGuard.RunAsync(() => CommitAsync(record, condition, actions, cancellationToken), cancellationToken);
        }

        return TableGuard.RunAsync(async () =>
        {
            await UpsertDirectoriesAsync(record.Bucket, outside, cancellationToken).ConfigureAwait(false);
            var result = await CommitAsync(record, condition, actions, cancellationToken).ConfigureAwait(false);

            // After the commit the index must be finished even if the caller gives up.
            if (result.IsOk)
            {
                await UpsertDirectoriesAsync(record.Bucket, outside, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await RemoveEmptyDirectoriesAsync(record.Bucket, outside[^1], CancellationToken.None).ConfigureAwait(false);
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>Submits a put's transaction; its first action is the object row's conditional write.</summary>
    private async Task<StoreResult<ObjectRecord>> CommitAsync(ObjectRecord record, WriteCondition condition, List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            var version = await SubmitTransactionAsync(_objects, actions, cancellationToken).ConfigureAwait(false);
            return StoreResult<ObjectRecord>.Ok(record with { Version = version });
        }
        // Only the first action, the object row's, is conditional: upserts fail with none of these statuses.
        catch (TableTransactionFailedException e) when (condition.Kind == WriteConditionKind.IfAbsent && e.Status == 409)
        {
            return StoreResult<ObjectRecord>.Fail(StoreStatus.AlreadyExists);
        }
        catch (TableTransactionFailedException e) when (condition.Kind == WriteConditionKind.IfVersion && e.Status is 412 or 404)
        {
            // 404: the version the caller read is gone, which is the same failed precondition.
            return StoreResult<ObjectRecord>.Fail(StoreStatus.PreconditionFailed);
        }
    }

    /// <summary>
    /// A delete marker becoming the current version is a delete for the directory index: one transaction writes the
    /// marker row and deletes the key's entry row; then the directories this leaves empty leave the index, as after
    /// <see cref="DeleteObjectAsync"/>. A key without an entry row (already a marker, new, or written before the
    /// index) fails that transaction with 404, and the marker row is then written alone.
    /// </summary>
    private async Task<StoreResult<ObjectRecord>> CommitDeleteMarkerAsync(ObjectRecord record, WriteCondition condition, TableTransactionAction write, CancellationToken cancellationToken)
    {
        StoreResult<ObjectRecord> result;
        try
        {
            var version = await SubmitTransactionAsync(
                _objects,
                [write, new(TableTransactionActionType.Delete, new TableEntity(record.Bucket, DirectoryEntityMapper.EntryRowKey(record.Key)), ETag.All), .. OutboxEntityMapper.Inserts(record.PendingEvents)],
                cancellationToken).ConfigureAwait(false);
            result = StoreResult<ObjectRecord>.Ok(record with { Version = version });
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 || (condition.Kind == WriteConditionKind.IfAbsent && e.Status == 409) || e.Status == 412)
        {
            // Which action failed decides nothing here: the marker row alone answers its own condition.
            result = await CommitAsync(record, condition, [write, .. OutboxEntityMapper.Inserts(record.PendingEvents)], cancellationToken).ConfigureAwait(false);
        }

        if (result.IsOk)
        {
            await RemoveEmptyDirectoriesAsync(record.Bucket, DirectoryKeys.DirectoryOf(record.Key), CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// One entity group transaction deletes the object row (if its version matches) and its entry row, and
    /// inserts the outbox rows of <paramref name="pendingEvents"/>; then the directories this leaves empty leave the
    /// index (<see cref="RemoveEmptyDirectoriesAsync"/>).
    /// </summary>
    /// <returns><see cref="StoreStatus.NotFound"/> when no entity exists, <see cref="StoreStatus.PreconditionFailed"/> when another version does.</returns>
    public Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, IReadOnlyList<PendingEvent>? pendingEvents = null, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Delete, new TableEntity(bucket, SortKeyCodec.Encode(key)), new ETag(version)),
            new(TableTransactionActionType.Delete, new TableEntity(bucket, DirectoryEntityMapper.EntryRowKey(key)), ETag.All),
            .. OutboxEntityMapper.Inserts(pendingEvents),
        ];
        try
        {
            await SubmitTransactionAsync(_objects, actions, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // The object row is missing (the single delete answers NotFound) or its entry row is: an object
            // written before the index existed, which kept no directory in the index either.
            return await DeleteObjectRowAsync(bucket, key, version, pendingEvents, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 412)
        {
            return StoreStatus.PreconditionFailed;
        }

        // The delete has committed: a cleanup abandoned halfway would leave an empty directory listed.
        await RemoveEmptyDirectoriesAsync(bucket, DirectoryKeys.DirectoryOf(key), CancellationToken.None).ConfigureAwait(false);
        return StoreStatus.Ok;
    }, cancellationToken);

    private async Task<StoreStatus> DeleteObjectRowAsync(string bucket, string key, string version, IReadOnlyList<PendingEvent>? pendingEvents, CancellationToken cancellationToken)
    {
        if (pendingEvents is { Count: > 0 })
        {
            // Still one transaction: the events are recorded exactly when the row goes.
            try
            {
                await SubmitTransactionAsync(
                    _objects,
                    [new(TableTransactionActionType.Delete, new TableEntity(bucket, SortKeyCodec.Encode(key)), new ETag(version)), .. OutboxEntityMapper.Inserts(pendingEvents)],
                    cancellationToken).ConfigureAwait(false);
                return StoreStatus.Ok;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
            {
                return e.Status == 404 ? StoreStatus.NotFound : StoreStatus.PreconditionFailed;
            }
        }

        try
        {
            var response = await _objects.DeleteEntityAsync(bucket, SortKeyCodec.Encode(key), new ETag(version), cancellationToken).ConfigureAwait(false);
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
    }

    /// <summary>
    /// One query, normally one round trip: the first page of at most <paramref name="limit"/> rows. An
    /// open or higher upper bound is clamped to <see cref="SortKeyCodec.AboveAll"/>, below every row of
    /// the directory index, so object scans never see index rows.
    /// </summary>
    public Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        ReadObjectRangeAsync(bucket, fromSortKey, toSortKey, limit, select: null, cancellationToken);

    /// <summary>The range with <c>$select</c> of <see cref="ObjectEntityMapper.ListingProperties"/>, as the directory index is read.</summary>
    public Task<IReadOnlyList<ObjectRecord>> ReadListingRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        ReadObjectRangeAsync(bucket, fromSortKey, toSortKey, limit, ObjectEntityMapper.ListingProperties, cancellationToken);

    private Task<IReadOnlyList<ObjectRecord>> ReadObjectRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, IReadOnlyList<string>? select, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var aboveAll = SortKeyCodec.AboveAll.ToString();
        var to = toSortKey is null || string.CompareOrdinal(toSortKey, aboveAll) > 0 ? aboveAll : toSortKey;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {fromSortKey} and RowKey lt {to}");
        // Delete markers are current versions but no objects; unversioned buckets have none, so this costs them nothing.
        return TableGuard.RunAsync(() => ReadRowsAsync(_objects, filter, limit, ObjectEntityMapper.FromEntity, keep: r => !r.IsDeleteMarker, select, cancellationToken), cancellationToken);
    }
}
