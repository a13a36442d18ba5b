using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Maintenance;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.Hosting.Telemetry;
using R2Meta.S3;
using R2Meta.S3.Auth;
using R2Meta.S3.Health;
using R2Meta.Storage.Blobs;
using R2Meta.Storage.Cosmos;
using R2Meta.Storage.Tables;

namespace R2Meta.Hosting;

/// <summary>Wires the S3 layer to its stores from settings; both hosts call this and nothing else.</summary>
public static class R2MetaServiceCollectionExtensions
{
    /// <param name="reservedBucketNames">Names the host cannot route to a bucket (the Functions host's own paths).</param>
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

        services.AddSingleton<IBlobStore>(_ => new AzureBlobStore(new BlobStoreOptions
        {
            ConnectionString = settings.StorageConnection,
            ServiceUri = settings.StorageBlobUri,
            Credential = settings.StorageBlobUri is null ? null : identity.Value,
            ContainerName = settings.BlobContainer,
            Calls = settings.StoreCalls,
            Policies = [StoreCallTiming.Blobs],
        }));

        if (settings.Metadata == MetadataBackend.Cosmos)
        {
            services.AddSingleton<IMetadataStore>(_ => new CosmosMetadataStore(new CosmosMetadataOptions
            {
                Endpoint = settings.CosmosEndpoint,
                Key = settings.CosmosKey,
                Credential = settings.CosmosUseIdentity ? identity.Value : null,
                Database = settings.CosmosDatabase,
                Mode = CosmosMetadataOptions.ParseConnectionMode(settings.CosmosConnectionMode),
                AcceptAnyServerCertificate = settings.CosmosAcceptAnyCertificate,
                // A local emulator advertises its bind address; stay on the configured endpoint.
                LimitToEndpoint = settings.CosmosLimitToEndpoint,
                ObjectsLayout = CosmosMetadataOptions.ParseObjectsLayout(settings.CosmosObjectsLayout),
                Calls = settings.StoreCalls,
            }));
        }
        else
        {
            services.AddSingleton<IMetadataStore>(_ => new TableMetadataStore(new TableMetadataOptions
            {
                ConnectionString = settings.StorageConnection,
                ServiceUri = settings.StorageTableUri,
                Credential = settings.StorageTableUri is null ? null : identity.Value,
                TablePrefix = settings.TablePrefix,
                Calls = settings.StoreCalls,
                Policies = [StoreCallTiming.Tables],
            }));
        }

        // Each metadata adapter also keeps the multipart uploads and the access keys.
        services.AddSingleton(static provider => (IUploadStore)provider.GetRequiredService<IMetadataStore>());
        services.AddSingleton(static provider => (IVersionStore)provider.GetRequiredService<IMetadataStore>());
        services.AddSingleton(static provider => (IAccessKeyStore)provider.GetRequiredService<IMetadataStore>());
        services.AddSingleton(new AccessKeyResolverOptions { CacheFor = TimeSpan.FromSeconds(settings.KeyCacheSeconds) });
        if (settings.KeyEncryptionKey is { } keyEncryptionKey)
        {
            services.AddSingleton(SecretCipher.FromBase64(keyEncryptionKey));
            services.AddSingleton<AccessKeyService>();
        }
        services.AddHostedService<StoreInitializer>();
        services.AddSingleton(static provider => new ReadinessCheck("metadata", (IStoreProbe)provider.GetRequiredService<IMetadataStore>()));
        services.AddSingleton(static provider => new ReadinessCheck("blobs", (IStoreProbe)provider.GetRequiredService<IBlobStore>()));

        // Maintenance jobs: the Functions host runs each on its timer trigger, the Kestrel host via AddR2MetaMaintenance.
        services.AddSingleton(new OrphanSweeperOptions { Grace = TimeSpan.FromMinutes(settings.OrphanGraceMinutes) });
        services.AddMaintenanceJob<OrphanBlobSweeper>();
        services.AddSingleton(new ExpiredUploadsOptions { MaxAge = TimeSpan.FromDays(settings.MultipartMaxAgeDays) });
        services.AddMaintenanceJob<ExpiredUploadsJob>();
        services.AddSingleton(new EmptyDirectorySweeperOptions());
        services.AddMaintenanceJob<EmptyDirectorySweeper>();
        return services;
    }

    /// <summary>
    /// Runs every registered <see cref="IMaintenanceJob"/> periodically in-process. Only the Kestrel host calls
    /// this; the Functions host runs the same jobs on timer triggers instead.
    /// </summary>
    public static IServiceCollection AddR2MetaMaintenance(this IServiceCollection services)
    {
        services.AddSingleton(static provider => MaintenanceSchedule.From(provider.GetRequiredService<R2MetaSettings>()));
        services.AddHostedService<MaintenanceScheduler>();
        return services;
    }
}
