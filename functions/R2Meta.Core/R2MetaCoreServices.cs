using Microsoft.Extensions.DependencyInjection;
using R2Meta.Core.Auth;
using R2Meta.Core.Handlers;
using R2Meta.Core.Listing;
using R2Meta.Core.Pipeline;
using R2Meta.Core.Services;

namespace R2Meta.Core;

/// <summary>Registers the S3 protocol layer. The hosts add the stores (IMetadataStore, IBlobStore).</summary>
public static class R2MetaCoreServices
{
    public static IServiceCollection AddR2MetaCore(this IServiceCollection services, S3Options options, AccountDirectory accounts)
    {
        services.AddSingleton(options);
        services.AddSingleton(accounts);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SigV4Authenticator>();
        services.AddSingleton<BucketService>();
        services.AddSingleton<ObjectCommitter>();
        services.AddSingleton<ObjectService>();
        services.AddSingleton<ObjectReader>();
        services.AddSingleton<MultipartService>();
        services.AddSingleton<MultipartHandlers>();
        services.AddSingleton<BucketHandlers>();
        services.AddSingleton<ObjectHandlers>();
        services.AddSingleton<DeleteObjectsHandler>();
        services.AddSingleton<ListingEngine>();
        services.AddSingleton<ListingHandlers>();
        services.AddSingleton<S3Dispatcher>();
        services.AddSingleton<S3Pipeline>();
        return services;
    }
}
