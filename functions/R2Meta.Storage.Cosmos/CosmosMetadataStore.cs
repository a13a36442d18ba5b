using System.Net;
using System.Text.Json.Serialization;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// <see cref="IMetadataStore"/> on Azure Cosmos DB (layout in <see cref="CosmosModel"/>). Versions are
/// document <c>_etag</c>s; every write is one conditional single-document request; the account's
/// consistency is never weakened per client or request. SDK failures become <see cref="StoreStatus"/>
/// values here; store-wide trouble becomes <see cref="StoreUnavailableException"/> in <see cref="CosmosGuard"/>.
/// </summary>
public sealed partial class CosmosMetadataStore : IMetadataStore, IVersionStore, IDisposable
{
    // The bucket filter repeats the partition key because the local emulator ignores the latter.
    // Only object documents lack a kind: the directory index's documents never show in a range.
    private const string RangeFilter =
        " FROM c WHERE c.bucket = @bucket AND c.sortKey >= @from AND c.sortKey < @to AND NOT IS_DEFINED(c.kind) ORDER BY c.sortKey";

    private const string OpenRangeFilter =
        " FROM c WHERE c.bucket = @bucket AND c.sortKey >= @from AND NOT IS_DEFINED(c.kind) ORDER BY c.sortKey";

    internal const string RangeQuery = "SELECT TOP @limit *" + RangeFilter;

    internal const string OpenRangeQuery = "SELECT TOP @limit *" + OpenRangeFilter;

    /// <summary>The same ranges selecting only what a listing shows (<see cref="ReadListingRangeAsync"/>), as the directory query does.</summary>
    internal const string ListingRangeQuery = "SELECT TOP @limit " + DirectoryIndex.ListingFields + RangeFilter;

    internal const string ListingOpenRangeQuery = "SELECT TOP @limit " + DirectoryIndex.ListingFields + OpenRangeFilter;

    private const string BucketsOfOwnerQuery = "SELECT * FROM c WHERE c.ownerId = @owner ORDER BY c.id";

    // Documents name their properties; the policy names those of nested domain values (ContentHeaders),
    // so a property added to such a value is stored without a change here.
    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private readonly CosmosClient _client;
    private readonly SocketsHttpHandler? _handler;
    private readonly RequestChargeMeter _meter = new();
    private readonly string _databaseName;
    private readonly Container _objects;
    private readonly ObjectsLayout? _configuredLayout;
    // The objects container's layout: the configured one until InitializeAsync has read the container's.
    private ObjectPartitioning _partitioning;
    private readonly Container _buckets;
    private readonly Container _keys;

    public CosmosMetadataStore(CosmosMetadataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "r2meta",
            ConnectionMode = options.Mode,
            LimitToEndpoint = options.LimitToEndpoint,
            RequestTimeout = options.Calls.AttemptTimeout,
            MaxRetryAttemptsOnRateLimitedRequests = options.Calls.MaxRetries,
            // The SDK waits as long as the service's retry-after asks, within this total.
            MaxRetryWaitTimeOnRateLimitedRequests = options.Calls.AttemptTimeout,
            Serializer = new CosmosJsonSerializer(SerializerOptions),
            CustomHandlers = { _meter },
            // Each call becomes a child span of the S3 request (source Azure.Cosmos.Operation) when a tracer listens.
            CosmosClientTelemetryOptions = new CosmosClientTelemetryOptions { DisableDistributedTracing = false },
        };
        if (options.Mode == ConnectionMode.Gateway)
        {
            // Our own handler, for the connect timeout: the SDK's default waits as long as the OS does for a host that does not answer.
            var handler = _handler = new SocketsHttpHandler
            {
                ConnectTimeout = options.Calls.AttemptTimeout,
                MaxConnectionsPerServer = clientOptions.GatewayModeMaxConnectionLimit,
            };
            if (options.AcceptAnyServerCertificate)
            {
                handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            }

            clientOptions.HttpClientFactory = () => new HttpClient(handler, disposeHandler: false);
        }
        else if (options.AcceptAnyServerCertificate)
        {
            clientOptions.ServerCertificateCustomValidationCallback = static (_, _, _) => true;
        }

        _client = options.Credential is { } credential
            ? new CosmosClient(options.Endpoint, credential, clientOptions)
            : new CosmosClient(options.Endpoint, options.Key ?? throw new ArgumentException("A Cosmos DB key or credential is required.", nameof(options)), clientOptions);
        _databaseName = options.Database;
        _configuredLayout = options.ObjectsLayout;
        _partitioning = new ObjectPartitioning(options.ObjectsLayout ?? ObjectsLayout.Hierarchical);
        _objects = _client.GetContainer(_databaseName, CosmosModel.Objects.Name);
        _buckets = _client.GetContainer(_databaseName, CosmosModel.Buckets.Name);
        _keys = _client.GetContainer(_databaseName, CosmosModel.Keys.Name);
    }

    /// <summary>Request units charged to this store's requests so far (all operations, failures included).</summary>
    public double TotalRequestCharge => _meter.Total;

    /// <summary>Request units of the most recent response (one query page for a query).</summary>
    public double LastRequestCharge => _meter.Last;

    /// <summary>Responses this store's requests received so far (one per point operation or query page).</summary>
    public long RequestCount => _meter.Count;

    /// <summary>The objects container's layout this store serves (read from the container by <see cref="InitializeAsync"/>).</summary>
    public ObjectsLayout ObjectsLayout => _partitioning.Layout;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        var database = await _client.CreateDatabaseIfNotExistsAsync(_databaseName, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var container in CosmosModel.Containers.Where(c => c != CosmosModel.Objects))
        {
            await database.Database.CreateContainerIfNotExistsAsync(container.ToContainerProperties(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        _partitioning = await InitializeObjectsAsync(database.Database, cancellationToken).ConfigureAwait(false);

        return true;
    }, cancellationToken);

    /// <summary>
    /// Reads the objects container's partition key definition, creating the container with the configured layout
    /// (hierarchical by default) when it does not exist. A container's partition key cannot change in place, so an
    /// existing one keeps its layout; one that differs from a configured layout, or matches none, stops start-up.
    /// </summary>
    private async Task<ObjectPartitioning> InitializeObjectsAsync(Database database, CancellationToken cancellationToken)
    {
        ContainerProperties properties;
        try
        {
            properties = (await database.GetContainer(CosmosModel.Objects.Name).ReadContainerAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            var model = new ObjectPartitioning(_configuredLayout ?? ObjectsLayout.Hierarchical).Container;
            properties = (await database.CreateContainerIfNotExistsAsync(model.ToContainerProperties(), cancellationToken: cancellationToken).ConfigureAwait(false)).Resource;
        }

        var paths = properties.PartitionKeyPaths ?? [properties.PartitionKeyPath];
        var layout = ObjectPartitioning.LayoutOf([.. paths])
            ?? throw new InvalidOperationException($"The objects container's partition key ({string.Join(", ", paths)}) is neither /bucket nor /bucket, /shard.");
        if (_configuredLayout is { } configured && configured != layout)
        {
            throw new InvalidOperationException(
                $"R2META_COSMOS_OBJECTS_LAYOUT is {configured} but the objects container is partitioned {layout}; a partition key cannot change in place (see docs/capacity.md, Migration).");
        }

        return new ObjectPartitioning(layout);
    }

    public Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        try
        {
            var response = await _buckets.ReadItemAsync<BucketDocument>(name, new PartitionKey(name), cancellationToken: cancellationToken).ConfigureAwait(false);
            return StoreResult<BucketRecord>.Ok(response.Resource.ToRecord(response.ETag));
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return StoreResult<BucketRecord>.Fail(StoreStatus.NotFound);
        }
    }, cancellationToken);

    public Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(bucket);
        try
        {
            var response = await _buckets.CreateItemAsync(
                BucketDocument.FromRecord(bucket), new PartitionKey(bucket.Name), WithoutContent(), cancellationToken).ConfigureAwait(false);
            return StoreResult<BucketRecord>.Ok(bucket with { Version = response.ETag });
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // The existing record tells the caller whether the bucket is already theirs (none if deleted again since).
            var existing = await GetBucketAsync(bucket.Name, cancellationToken).ConfigureAwait(false);
            return new StoreResult<BucketRecord>(StoreStatus.AlreadyExists, existing.Value);
        }
    }, cancellationToken);

    public Task<StoreResult<BucketRecord>> ReplaceBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(bucket);
        try
        {
            var response = await _buckets.ReplaceItemAsync(
                BucketDocument.FromRecord(bucket), bucket.Name, new PartitionKey(bucket.Name), WithoutContent(RequireVersion(bucket.Version)), cancellationToken).ConfigureAwait(false);
            return StoreResult<BucketRecord>.Ok(bucket with { Version = response.ETag });
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return StoreResult<BucketRecord>.Fail(StoreStatus.PreconditionFailed);
        }
    }, cancellationToken);

    public Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        await DeleteDirectoriesOfBucketAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            await _buckets.DeleteItemAsync<BucketDocument>(name, new PartitionKey(name), cancellationToken: cancellationToken).ConfigureAwait(false);
            return StoreStatus.Ok;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return StoreStatus.NotFound;
        }
    }, cancellationToken);

    public Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        var query = new QueryDefinition(BucketsOfOwnerQuery).WithParameter("@owner", ownerId);
        using var iterator = _buckets.GetItemQueryIterator<BucketDocument>(query);
        var buckets = new List<BucketRecord>();
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            buckets.AddRange(page.Select(document => document.ToRecord()));
        }

        return (IReadOnlyList<BucketRecord>)buckets;
    }, cancellationToken);

    public Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        try
        {
            var response = await _objects.ReadItemAsync<ObjectDocument>(
                ObjectDocument.IdOf(key), _partitioning.Of(bucket, key), cancellationToken: cancellationToken).ConfigureAwait(false);
            // A tombstone is no object: only a delete's events waiting for delivery.
            return response.Resource.IsTombstone
                ? StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound)
                : StoreResult<ObjectRecord>.Ok(response.Resource.ToRecord(response.ETag));
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound);
        }
    }, cancellationToken);

    /// <summary>
    /// Creating a key: upserts the directories above it, commits the object document, then upserts the
    /// directories again (why both: see the directory index part of this class). A failed commit removes
    /// the directories its first upsert created, if they are still empty. Replacing a version: the commit
    /// alone (why that is enough: see the directory index part too).
    /// </summary>
    public Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var commit = Commit(record, condition, cancellationToken);
        var directories = DeepestFirst(record.Key);
        if (record.IsDeleteMarker)
        {
            // A delete marker is a delete for the directory index: the commit, then the cleanup a delete does.
            return CosmosGuard.RunAsync(async () =>
            {
                var result = await commit().ConfigureAwait(false);
                if (result.IsOk)
                {
                    await RemoveEmptyDirectoriesAsync(record.Bucket, directories, CancellationToken.None).ConfigureAwait(false);
                }

                return result;
            }, cancellationToken);
        }

        // In a versioned bucket the document a replace supersedes may be a delete marker, whose directories a
        // cleanup may have removed: such a replace upserts them like a create (the reasoning below no longer holds).
        if (directories.Count == 0 || (condition.Kind == WriteConditionKind.IfVersion && record.VersionId is null))
        {
            return CosmosGuard.RunAsync(commit, cancellationToken);
        }

        return CosmosGuard.RunAsync(async () =>
        {
            var created = await UpsertDirectoriesAsync(record.Bucket, directories, cancellationToken).ConfigureAwait(false);
            var result = await commit().ConfigureAwait(false);
            // Past the commit the index work is owed whatever happens to the request: not cancellable.
            if (result.IsOk)
            {
                await UpsertDirectoriesAsync(record.Bucket, directories, CancellationToken.None).ConfigureAwait(false);
            }
            else if (created.Count > 0)
            {
                await RemoveEmptyDirectoriesAsync(record.Bucket, directories.SkipWhile(d => d != created[0]), CancellationToken.None).ConfigureAwait(false);
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>The commit point of a put: one conditional write of the object document.</summary>
    private Func<Task<StoreResult<ObjectRecord>>> Commit(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken)
    {
        var document = ObjectDocument.FromRecord(record);
        var partitionKey = _partitioning.Of(record.Bucket, record.Key);
        // Checked now, before any directory is written for a commit that cannot happen.
        var ifMatch = condition.Kind == WriteConditionKind.IfVersion ? RequireVersion(condition.Version) : null;
        return condition.Kind switch
        {
            WriteConditionKind.IfAbsent => async () =>
            {
                try
                {
                    var response = await _objects.CreateItemAsync(document, partitionKey, WithoutContent(), cancellationToken).ConfigureAwait(false);
                    return StoreResult<ObjectRecord>.Ok(record with { Version = response.ETag });
                }
                catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
                {
                    // Only a notifying bucket (PendingEvents not null) can hold tombstones: the others pay no read here.
                    return record.PendingEvents is null
                        ? StoreResult<ObjectRecord>.Fail(StoreStatus.AlreadyExists)
                        : await ReplaceTombstoneAsync(record, cancellationToken).ConfigureAwait(false);
                }
            },
            WriteConditionKind.IfVersion => async () =>
            {
                try
                {
                    var response = await _objects.ReplaceItemAsync(
                        document, document.Id, partitionKey, WithoutContent(ifMatch), cancellationToken).ConfigureAwait(false);
                    return StoreResult<ObjectRecord>.Ok(record with { Version = response.ETag });
                }
                catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
                {
                    // 404: the version the caller read is gone, which is the same failed precondition.
                    return StoreResult<ObjectRecord>.Fail(StoreStatus.PreconditionFailed);
                }
            },
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Kind, "Unknown write condition."),
        };
    }

    /// <summary>
    /// Deletes the object document if its version matches, then removes the directories above it that
    /// it leaves empty, deepest first: one emptiness query when its directory keeps other entries. With
    /// <paramref name="pendingEvents"/> the delete is a replace of the document, conditioned the same way, by a tombstone
    /// holding them (see CosmosMetadataStore.Outbox): one write, so the events are recorded exactly when the object goes.
    /// </summary>
    /// <returns><see cref="StoreStatus.NotFound"/> when no document exists, <see cref="StoreStatus.PreconditionFailed"/> when another version does.</returns>
    public Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, IReadOnlyList<PendingEvent>? pendingEvents = null, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        try
        {
            if (pendingEvents is { Count: > 0 })
            {
                await _objects.ReplaceItemAsync(
                    ObjectDocument.Tombstone(bucket, key, pendingEvents), ObjectDocument.IdOf(key), _partitioning.Of(bucket, key), WithoutContent(RequireVersion(version)), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _objects.DeleteItemAsync<ObjectDocument>(
                    ObjectDocument.IdOf(key), _partitioning.Of(bucket, key), WithoutContent(RequireVersion(version)), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return StoreStatus.NotFound;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return StoreStatus.PreconditionFailed;
        }

        // Past the commit the index work is owed whatever happens to the request: not cancellable.
        await RemoveEmptyDirectoriesAsync(bucket, DeepestFirst(key), CancellationToken.None).ConfigureAwait(false);
        return StoreStatus.Ok;
    }, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(
        string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        QueryRecordsAsync(toSortKey is null ? OpenRangeQuery : RangeQuery, kind: null, bucket, fromSortKey, toSortKey, limit, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadListingRangeAsync(
        string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        QueryRecordsAsync(toSortKey is null ? ListingOpenRangeQuery : ListingRangeQuery, kind: null, bucket, fromSortKey, toSortKey, limit, cancellationToken);

    public void Dispose()
    {
        _client.Dispose();
        _handler?.Dispose();
    }

    /// <summary>
    /// Options of a bucket-wide query on the objects container: the bucket (a partition key prefix under the
    /// hierarchical layout, which the SDK sends to each of the bucket's physical partitions in parallel and merges).
    /// </summary>
    private QueryRequestOptions BucketQuery(string bucket, int? limit = null) =>
        new() { PartitionKey = _partitioning.OfBucket(bucket), MaxItemCount = limit, MaxConcurrency = -1 };

    private static ItemRequestOptions WithoutContent(string? ifMatch = null) =>
        new() { EnableContentResponseOnWrite = false, IfMatchEtag = ifMatch };

    private static string RequireVersion(string? version) =>
        string.IsNullOrEmpty(version) ? throw new ArgumentException("A version condition needs a version.", nameof(version)) : version;
}
