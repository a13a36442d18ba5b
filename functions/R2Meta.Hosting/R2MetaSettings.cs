using System.Globalization;
using Microsoft.Extensions.Configuration;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Storage;
using R2Meta.Hosting.Telemetry;
using R2Meta.S3;
using R2Meta.Storage.Cosmos;

namespace R2Meta.Hosting;

/// <summary>Which metadata backend serves the buckets and objects.</summary>
public enum MetadataBackend
{
    Tables = 0,
    Cosmos = 1,
}

/// <summary>
/// Every setting the app reads, with its local default. Both hosts read the same names (environment
/// variables locally, app settings on Azure); local.settings.sample.json lists them all.
/// </summary>
public sealed record R2MetaSettings
{
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public int Port { get; init; } = 9000;
    public string? Credentials { get; init; }
    /// <summary>Base64 of the 32-byte AES key sealing stored key secrets; null: stored keys are off, only R2META_CREDENTIALS keys work.</summary>
    public string? KeyEncryptionKey { get; init; }
    /// <summary>How long an instance trusts what the key store said about a key id (revocation delay), in seconds; 0: no cache.</summary>
    public double KeyCacheSeconds { get; init; } = 5;
    public MetadataBackend Metadata { get; init; } = MetadataBackend.Tables;
    public string StorageConnection { get; init; } = DevelopmentStorage;
    /// <summary>Blob endpoint reached with the app's Microsoft Entra identity; null when R2META_STORAGE_CONNECTION is set.</summary>
    public Uri? StorageBlobUri { get; init; }
    /// <summary>Table endpoint reached with the app's Microsoft Entra identity; null when R2META_STORAGE_CONNECTION is set.</summary>
    public Uri? StorageTableUri { get; init; }
    public string BlobContainer { get; init; } = "r2meta-objects";
    public string TablePrefix { get; init; } = "r2meta";
    public string CosmosEndpoint { get; init; } = "https://127.0.0.1:8081/";
    public string CosmosKey { get; init; } = CosmosMetadataOptions.EmulatorKey;
    /// <summary>Authorize Cosmos DB requests with the app's Microsoft Entra identity instead of <see cref="CosmosKey"/>.</summary>
    public bool CosmosUseIdentity { get; init; }
    public string CosmosDatabase { get; init; } = "r2meta";
    public string CosmosConnectionMode { get; init; } = "Gateway";
    /// <summary>Only for a local emulator's self-signed certificate.</summary>
    public bool CosmosAcceptAnyCertificate { get; init; }
    /// <summary>Talk only to the configured endpoint (a local emulator advertises its bind address instead).</summary>
    public bool CosmosLimitToEndpoint { get; init; }
    /// <summary>R2META_COSMOS_OBJECTS_LAYOUT: empty (detect; new containers hierarchical), "hierarchical" or "bucket".</summary>
    public string CosmosObjectsLayout { get; init; } = "";
    public string BaseDomain { get; init; } = S3Defaults.BaseDomain;
    public string Region { get; init; } = BucketRecord.DefaultRegion;
    /// <summary>The home metadata cluster's name (the one the single-store settings describe).</summary>
    public string ClusterName { get; init; } = "default";
    /// <summary>The home cluster's location label (LocationConstraint, GetBucketLocation); default <see cref="Region"/>.</summary>
    public string? ClusterLocation { get; init; }
    /// <summary>The home cluster's share of new buckets without a LocationConstraint.</summary>
    public int ClusterWeight { get; init; } = 1;
    /// <summary>Further metadata clusters (R2META_CLUSTERS__n__*); none: one cluster, stored exactly as before clusters.</summary>
    public IReadOnlyList<ClusterSettings> ExtraClusters { get; init; } = [];
    /// <summary>How long a bucket move waits after fencing writes and after switching (see BucketMoveOptions.Grace), in seconds.</summary>
    public double BucketMoveGraceSeconds { get; init; } = 12;
    public int OrphanGraceMinutes { get; init; } = 60;
    public int MultipartMaxAgeDays { get; init; } = 7;
    /// <summary>Records one lifecycle scan (a bucket's rule) reads per run before it saves its cursor (see LifecycleJob).</summary>
    public int LifecycleMaxRecordsPerScan { get; init; } = new LifecycleOptions().MaxRecordsPerScan;
    /// <summary>How often the Kestrel host runs the maintenance jobs (the Functions host uses timer triggers); 0 turns them off.</summary>
    public int MaintenanceIntervalMinutes { get; init; } = 15;
    /// <summary>
    /// The storage account whose queues QueueConfiguration ARNs name (arn:aws:sqs:&lt;region&gt;:&lt;account&gt;:&lt;queue&gt; → queue
    /// &lt;queue&gt;); defaults to <see cref="StorageConnection"/>.
    /// </summary>
    public string? NotificationQueueConnection { get; init; }
    /// <summary>Queue endpoint reached with the app's Microsoft Entra identity, when no connection string is set.</summary>
    public Uri? NotificationQueueUri { get; init; }
    /// <summary>How often the Kestrel host's dispatcher delivers pending events it was not told about (other instances, crashes); 0 turns it off.</summary>
    public double NotificationDispatchSeconds { get; init; } = 5;
    /// <summary>Deliver a commit's events at once in-process; off leaves them to the periodic dispatcher (crash tests).</summary>
    public bool NotificationDispatchAfterCommit { get; init; } = true;
    /// <summary>Longest wait for one attempt of a store call (connect, send, answer), in seconds.</summary>
    public double StoreTimeoutSeconds { get; init; } = new StoreCallPolicy().AttemptTimeout.TotalSeconds;
    /// <summary>Retries of a store call after a transport failure, timeout or throttling.</summary>
    public int StoreMaxRetries { get; init; } = new StoreCallPolicy().MaxRetries;
    /// <summary>How long a request may wait for its answer, not counting its body transfers, in seconds; 0: no deadline.</summary>
    public double RequestTimeoutSeconds { get; init; } = new S3Options().RequestTimeout.TotalSeconds;

    /// <summary>The store-call budget every adapter gets.</summary>
    public StoreCallPolicy StoreCalls => new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(StoreTimeoutSeconds),
        MaxRetries = StoreMaxRetries,
    };

    /// <summary>Which OpenTelemetry exporters run (standard OTEL_* / APPLICATIONINSIGHTS_* names and R2META_TELEMETRY_*).</summary>
    public TelemetrySettings Telemetry { get; init; } = new();

    public static R2MetaSettings From(IConfiguration configuration)
    {
        var defaults = new R2MetaSettings();
        // A connection string, when given, wins over identity-based endpoints (local runs against Azurite).
        var storageConnection = Text(configuration, "R2META_STORAGE_CONNECTION", null);
        return new R2MetaSettings
        {
            Port = Int(configuration, "R2META_PORT", defaults.Port),
            Credentials = ReadCredentials(configuration),
            KeyEncryptionKey = ReadSecret(configuration, "R2META_KEY_ENCRYPTION_KEY"),
            KeyCacheSeconds = Seconds(configuration, "R2META_KEY_CACHE_SECONDS", defaults.KeyCacheSeconds, allowZero: true),
            Metadata = Text(configuration, "R2META_METADATA", "tables")!.ToLowerInvariant() switch
            {
                "tables" => MetadataBackend.Tables,
                "cosmos" => MetadataBackend.Cosmos,
                var other => throw new InvalidOperationException($"R2META_METADATA must be 'tables' or 'cosmos', not '{other}'."),
            },
            StorageConnection = storageConnection ?? defaults.StorageConnection,
            StorageBlobUri = storageConnection is null ? AbsoluteUri(configuration, "R2META_STORAGE_BLOB_URI") : null,
            StorageTableUri = storageConnection is null ? AbsoluteUri(configuration, "R2META_STORAGE_TABLE_URI") : null,
            BlobContainer = Text(configuration, "R2META_BLOB_CONTAINER", defaults.BlobContainer)!,
            TablePrefix = Text(configuration, "R2META_TABLE_PREFIX", defaults.TablePrefix)!,
            CosmosEndpoint = Text(configuration, "R2META_COSMOS_ENDPOINT", defaults.CosmosEndpoint)!,
            CosmosKey = Text(configuration, "R2META_COSMOS_KEY", defaults.CosmosKey)!,
            CosmosUseIdentity = Text(configuration, "R2META_COSMOS_USE_IDENTITY", "false")!.Equals("true", StringComparison.OrdinalIgnoreCase),
            CosmosDatabase = Text(configuration, "R2META_COSMOS_DATABASE", defaults.CosmosDatabase)!,
            CosmosConnectionMode = Text(configuration, "R2META_COSMOS_CONNECTION_MODE", defaults.CosmosConnectionMode)!,
            CosmosAcceptAnyCertificate = Text(configuration, "R2META_COSMOS_ACCEPT_ANY_CERTIFICATE", "false")!.Equals("true", StringComparison.OrdinalIgnoreCase),
            CosmosLimitToEndpoint = Text(configuration, "R2META_COSMOS_LIMIT_TO_ENDPOINT", "false")!.Equals("true", StringComparison.OrdinalIgnoreCase),
            CosmosObjectsLayout = Text(configuration, "R2META_COSMOS_OBJECTS_LAYOUT", defaults.CosmosObjectsLayout) ?? "",
            BaseDomain = Text(configuration, "R2META_BASE_DOMAIN", defaults.BaseDomain)!,
            Region = Text(configuration, "R2META_REGION", defaults.Region)!,
            ClusterName = Text(configuration, "R2META_CLUSTER_NAME", defaults.ClusterName)!,
            ClusterLocation = Text(configuration, "R2META_CLUSTER_LOCATION", null),
            ClusterWeight = Int(configuration, "R2META_CLUSTER_WEIGHT", defaults.ClusterWeight),
            ExtraClusters = ClusterSettings.ReadExtra(configuration),
            BucketMoveGraceSeconds = Seconds(configuration, "R2META_BUCKET_MOVE_GRACE_SECONDS", defaults.BucketMoveGraceSeconds, allowZero: true),
            OrphanGraceMinutes = Int(configuration, "R2META_ORPHAN_GRACE_MINUTES", defaults.OrphanGraceMinutes),
            MultipartMaxAgeDays = Int(configuration, "R2META_MULTIPART_MAX_AGE_DAYS", defaults.MultipartMaxAgeDays),
            MaintenanceIntervalMinutes = Int(configuration, "R2META_MAINTENANCE_INTERVAL_MINUTES", defaults.MaintenanceIntervalMinutes),
            LifecycleMaxRecordsPerScan = Int(configuration, "R2META_LIFECYCLE_MAX_RECORDS_PER_SCAN", defaults.LifecycleMaxRecordsPerScan) is >= 1 and var perScan
                ? perScan
                : throw new InvalidOperationException("R2META_LIFECYCLE_MAX_RECORDS_PER_SCAN must be 1 or more."),
            NotificationQueueConnection = Text(configuration, "R2META_NOTIFICATION_QUEUE_CONNECTION", null),
            NotificationQueueUri = AbsoluteUri(configuration, "R2META_NOTIFICATION_QUEUE_URI"),
            NotificationDispatchSeconds = Seconds(configuration, "R2META_NOTIFICATION_DISPATCH_SECONDS", defaults.NotificationDispatchSeconds, allowZero: true),
            NotificationDispatchAfterCommit = !Text(configuration, "R2META_NOTIFICATION_DISPATCH_AFTER_COMMIT", "true")!.Equals("false", StringComparison.OrdinalIgnoreCase),
            StoreTimeoutSeconds = Seconds(configuration, "R2META_STORE_TIMEOUT_SECONDS", defaults.StoreTimeoutSeconds, allowZero: false),
            StoreMaxRetries = Int(configuration, "R2META_STORE_MAX_RETRIES", defaults.StoreMaxRetries) is >= 0 and var retries
                ? retries
                : throw new InvalidOperationException("R2META_STORE_MAX_RETRIES must be 0 or more."),
            RequestTimeoutSeconds = Seconds(configuration, "R2META_REQUEST_TIMEOUT_SECONDS", defaults.RequestTimeoutSeconds, allowZero: true),
            Telemetry = TelemetrySettings.From(configuration),
        };
    }

    /// <summary>
    /// On Azure R2META_CREDENTIALS is a Key Vault reference the platform resolves. Unresolved (secret not set yet,
    /// access not granted) the app sees the reference text itself, which would parse as an account whose access key
    /// id and secret are parts of the public vault URI: refuse to start instead.
    /// </summary>
    private static string? ReadCredentials(IConfiguration configuration)
    {
        var value = Text(configuration, "R2META_CREDENTIALS", null);
        return value is not null && value.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException(
                "R2META_CREDENTIALS is an unresolved Key Vault reference: set the secret and grant the app's identity 'Key Vault Secrets User' (docs/runbooks/credentials-unresolved.md).")
            : value;
    }

    /// <summary>A secret setting, which on Azure is a Key Vault reference: unresolved, refuse to start (as <see cref="ReadCredentials"/>).</summary>
    private static string? ReadSecret(IConfiguration configuration, string name)
    {
        var value = Text(configuration, name, null);
        return value is not null && value.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException($"{name} is an unresolved Key Vault reference: set the secret and grant the app's identity 'Key Vault Secrets User'.")
            : value;
    }

    private static string? Text(IConfiguration configuration, string name, string? fallback)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
    }

    private static Uri? AbsoluteUri(IConfiguration configuration, string name) =>
        Text(configuration, name, null) is not { } value
            ? null
            : Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                ? uri
                : throw new InvalidOperationException($"{name} must be an absolute http(s) URI, not '{value}'.");

    private static double Seconds(IConfiguration configuration, string name, double fallback, bool allowZero)
    {
        var value = configuration[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && (parsed > 0 || (allowZero && parsed == 0))
            ? parsed
            : throw new InvalidOperationException($"{name} must be a number of seconds{(allowZero ? ", 0 or more" : " above 0")}, not '{value}'.");
    }

    private static int Int(IConfiguration configuration, string name, int fallback)
    {
        var value = configuration[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"{name} must be an integer, not '{value}'.");
    }
}
