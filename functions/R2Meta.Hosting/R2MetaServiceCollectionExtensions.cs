using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Core;
using R2Meta.Core.Auth;
using R2Meta.Core.Storage;
using R2Meta.Storage.Blobs;
using R2Meta.Storage.Cosmos;
using R2Meta.Storage.Tables;

namespace R2Meta.Hosting;

/// <summary>Wires the S3 layer to its stores from settings; both hosts call this and nothing else.</summary>
public static class R2MetaServiceCollectionExtensions
{
    public static IServiceCollection AddR2Meta(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = R2MetaSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddR2MetaCore(
            new S3Options { BaseDomain = settings.BaseDomain, Region = settings.Region },
            AccountDirectory.Parse(settings.Credentials));

        services.AddSingleton<IBlobStore>(_ => new AzureBlobStore(new BlobStoreOptions
        {
            ConnectionString = settings.StorageConnection,
            ContainerName = settings.BlobContainer,
        }));

        if (settings.Metadata == MetadataBackend.Cosmos)
        {
            services.AddSingleton<IMetadataStore>(_ => new CosmosMetadataStore(new CosmosMetadataOptions
            {
                Endpoint = settings.CosmosEndpoint,
                Key = settings.CosmosKey,
                Database = settings.CosmosDatabase,
                Mode = CosmosMetadataOptions.ParseConnectionMode(settings.CosmosConnectionMode),
                AcceptAnyServerCertificate = settings.CosmosAcceptAnyCertificate,
                // A local emulator advertises its bind address; stay on the configured endpoint.
                LimitToEndpoint = settings.CosmosLimitToEndpoint,
            }));
        }
        else
        {
            services.AddSingleton<IMetadataStore>(_ => new TableMetadataStore(new TableMetadataOptions
            {
                ConnectionString = settings.StorageConnection,
                TablePrefix = settings.TablePrefix,
            }));
        }

        services.AddHostedService<StoreInitializer>();
        return services;
    }
}
