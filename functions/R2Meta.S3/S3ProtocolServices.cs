using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Services;
using R2Meta.S3.Auth;
using R2Meta.S3.Cors;
using R2Meta.S3.Forms;
using R2Meta.S3.Handlers;
using R2Meta.S3.Health;
using R2Meta.S3.Pipeline;

namespace R2Meta.S3;

/// <summary>Registers the S3 protocol layer over the domain. The hosts add the stores (IMetadataStore, IBlobStore).</summary>
public static class S3ProtocolServices
{
    public static IServiceCollection AddR2MetaS3(this IServiceCollection services, S3Options options, BucketOptions buckets, AccountDirectory accounts)
    {
        services.AddR2MetaDomain(buckets);
        services.AddSingleton(options);
        services.AddSingleton(accounts);
        // Stored keys need AccessKeyService, which the host registers when a key-encryption key is configured.
        services.AddSingleton(static provider => new AccessKeyResolver(
            provider.GetRequiredService<AccountDirectory>(),
            provider.GetService<AccessKeyService>(),
            provider.GetService<AccessKeyResolverOptions>() ?? new AccessKeyResolverOptions(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(static provider => new SigV4Authenticator(provider.GetRequiredService<AccessKeyResolver>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MultipartHandlers>();
        services.AddSingleton<BucketHandlers>();
        services.AddSingleton<ObjectHandlers>();
        services.AddSingleton<DeleteObjectsHandler>();
        services.AddSingleton<PostFormAuthenticator>();
        services.AddSingleton<PostObjectHandler>();
        services.AddSingleton<ListingHandlers>();
        services.AddSingleton<BucketSettingsHandlers>();
        services.AddSingleton<LifecycleHandlers>();
        services.AddSingleton<AnonymousRequests>();
        services.AddSingleton<CorsResponder>();
        services.AddSingleton<AclHandlers>();
        services.AddSingleton<TaggingHandlers>();
        services.AddSingleton<VersioningHandlers>();
        services.AddSingleton<NotificationHandlers>();
        services.AddSingleton<IEnumerable<HandledOperation>>(S3Operations.All);
        services.AddSingleton<S3Dispatcher>();
        services.AddSingleton<HealthEndpoints>();
        services.AddSingleton<S3Pipeline>();
        return services;
    }
}
