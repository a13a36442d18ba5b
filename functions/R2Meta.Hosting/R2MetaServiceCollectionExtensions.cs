using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Clusters;
using R2Meta.Domain.Maintenance;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.Hosting.Telemetry;
using R2Meta.S3;
using R2Meta.S3.Auth;
using R2Meta.S3.Health;
using R2Meta.Storage.Blobs;
using R2Meta.Storage.Cosmos;
using R2Meta.Storage.Queues;
using R2Meta.Storage.Tables;

namespace R2Meta.Hosting;

/// <summary>Wires the S3 layer to its stores from settings; both hosts call this and nothing else.</summary>
public static class R2MetaServiceCollectionExtensions
{
    /// <param name="reservedBucketNames">Names the host cannot route to a bucket (the Functions host's own paths).</param>
    /// <summary>ASP.NET Core's per-request logger (request started/finished), switched off by <see cref="AddR2Meta"/>.</summary>
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static IServiceCollection AddR2Meta(this IServiceCollection services, IConfiguration configuration, IReadOnlyCollection<string>? reservedBucketNames = null)
    {
        var settings = R2MetaSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddR2MetaS3(
            new S3Options { BaseDomain = settings.BaseDomain, RequestTimeout = TimeSpan.FromSeconds(settings.RequestTimeoutSeconds) },
            new BucketOptions { Region = settings.Region, ReservedNames = new HashSet<string>(reservedBucketNames ?? [], StringComparer.Ordinal) },
            AccountDirectory.Parse(settings.Credentials));

        // One credential for every client, so tokens are cached once; created only when a setting asks for identity.
        var identity = new Lazy<TokenCredential>(static () => new DefaultAzureCredential());
        TelemetryServiceCollectionExtensions.EnableAzureSdkActivities();
        services.AddR2MetaTelemetry(settings.Telemetry, identity);
        services.AddHostedService<AzureSdkLogForwarder>();
        // ASP.NET Core opens an Activity for every request whenever its hosting logger is enabled at any level, and
        // HttpClient then opens one more around every store call to carry its traceparent: about 4 KB and two
        // activities per S3 request that nothing records (the pipeline opens R2Meta's own request span). Hosting's
        // per-request log lines are not used; the pipeline logs what matters.
        services.Configure<LoggerFilterOptions>(static filters => filters.AddFilter(HostingDiagnosticsCategory, LogLevel.None));

        services.AddSingleton<IBlobStore>(_ => new AzureBlobStore(new BlobStoreOptions
        {
            ConnectionString = settings.StorageConnection,
            ServiceUri = settings.StorageBlobUri,
            Credential = settings.StorageBlobUri is null ? null : identity.Value,
            ContainerName = settings.BlobContainer,
            Calls = settings.StoreCalls,
            Policies = [StoreCallTiming.Blobs],
        }));

        // One adapter per metadata cluster; the first (the single-store settings) is home: the bucket directory and the
        // access keys live there. With one cluster the services use its adapter directly, as before clusters existed.
        var home = new MetadataCluster(settings.ClusterName, settings.ClusterLocation ?? settings.Region, settings.ClusterWeight, null!, null!, null!);
        var clusters = new ClusterSet(
        [
            Bind(home, MetadataStores.Create(settings, null, identity)),
            .. settings.ExtraClusters.Select(c => Bind(new MetadataCluster(c.Name, c.Location, c.Weight, null!, null!, null!), MetadataStores.Create(settings, c, identity))),
        ]);
        services.AddSingleton(clusters);
        services.AddSingleton(new BucketMoveOptions { Grace = TimeSpan.FromSeconds(settings.BucketMoveGraceSeconds) });
        services.AddSingleton<BucketDirectory>();
        services.AddSingleton<BucketMover>();
        if (clusters.IsMulti)
        {
            services.AddSingleton<ClusterRouter>();
            services.AddSingleton<IMetadataStore>(static provider => provider.GetRequiredService<ClusterRouter>());
            services.AddSingleton<IUploadStore>(static provider => provider.GetRequiredService<ClusterRouter>());
            services.AddSingleton<IVersionStore>(static provider => provider.GetRequiredService<ClusterRouter>());
        }
        else
        {
            services.AddSingleton(clusters.Home.Metadata);
            services.AddSingleton(clusters.Home.Uploads);
            services.AddSingleton(clusters.Home.Versions);
        }

        services.AddSingleton((IAccessKeyStore)clusters.Home.Metadata);
        // Event notifications are recorded by the home cluster's adapter; PutBucketNotificationConfiguration refuses
        // them on a deployment with several clusters (the outbox does not follow a bucket's placement yet).
        services.AddSingleton((IEventOutbox)clusters.Home.Metadata);

        // Event notifications: queues of the notification account (by default the storage account), one dispatcher.
        services.AddSingleton<IEventQueue>(_ => new AzureEventQueue(new EventQueueOptions
        {
            ConnectionString = settings.NotificationQueueConnection ?? (settings.NotificationQueueUri is null ? settings.StorageConnection : null),
            ServiceUri = settings.NotificationQueueUri,
            Credential = settings.NotificationQueueUri is null ? null : identity.Value,
            Calls = settings.StoreCalls,
        }));
        services.AddSingleton(new NotificationOptions { DispatchAfterCommit = settings.NotificationDispatchAfterCommit });
        // A maintenance job too (so the Functions host has its timer and the Kestrel scheduler a slow fallback run);
        // NotificationScheduler runs it often on the Kestrel host.
        services.AddMaintenanceJob<NotificationDispatcher>();
        services.AddSingleton(new AccessKeyResolverOptions { CacheFor = TimeSpan.FromSeconds(settings.KeyCacheSeconds) });
        if (settings.KeyEncryptionKey is { } keyEncryptionKey)
        {
            services.AddSingleton(SecretCipher.FromBase64(keyEncryptionKey));
            services.AddSingleton<AccessKeyService>();
        }
        services.AddHostedService<StoreInitializer>();
        foreach (var cluster in clusters.All)
        {
            services.AddSingleton(new ReadinessCheck(cluster == clusters.Home ? "metadata" : "metadata:" + cluster.Name, (IStoreProbe)cluster.Metadata));
        }

        services.AddSingleton(static provider => new ReadinessCheck("blobs", (IStoreProbe)provider.GetRequiredService<IBlobStore>()));

        // Maintenance jobs: the Functions host runs each on its timer trigger, the Kestrel host via AddR2MetaMaintenance.
        services.AddSingleton(new OrphanSweeperOptions { Grace = TimeSpan.FromMinutes(settings.OrphanGraceMinutes) });
        services.AddMaintenanceJob<OrphanBlobSweeper>();
        services.AddSingleton(new ExpiredUploadsOptions { MaxAge = TimeSpan.FromDays(settings.MultipartMaxAgeDays) });
        services.AddMaintenanceJob<ExpiredUploadsJob>();
        services.AddSingleton(new EmptyDirectorySweeperOptions());
        services.AddMaintenanceJob<EmptyDirectorySweeper>();
        services.AddSingleton(new LifecycleOptions { MaxRecordsPerScan = settings.LifecycleMaxRecordsPerScan });
        services.AddMaintenanceJob<LifecycleJob>();
        return services;
    }

    private static MetadataCluster Bind(MetadataCluster cluster, IMetadataStore store) =>
        cluster with { Metadata = store, Versions = (IVersionStore)store, Uploads = (IUploadStore)store };

    /// <summary>
    /// Runs every registered <see cref="IMaintenanceJob"/> periodically in-process. Only the Kestrel host calls
    /// this; the Functions host runs the same jobs on timer triggers instead.
    /// </summary>
    public static IServiceCollection AddR2MetaMaintenance(this IServiceCollection services)
    {
        services.AddSingleton(static provider => MaintenanceSchedule.From(provider.GetRequiredService<R2MetaSettings>()));
        services.AddHostedService<MaintenanceScheduler>();
        services.AddHostedService<NotificationScheduler>();
        return services;
    }
}
