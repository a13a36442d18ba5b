using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Listing;
using R2Meta.Domain.Services;

namespace R2Meta.Domain;

/// <summary>Registers the domain services. The hosts add the stores (IMetadataStore, IUploadStore, IBlobStore).</summary>
public static class DomainServices
{
    public static IServiceCollection AddR2MetaDomain(this IServiceCollection services, BucketOptions buckets)
    {
        services.AddSingleton(buckets);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BucketService>();
        services.AddSingleton<ObjectCommitter>();
        services.AddSingleton<UploadAborter>();
        services.AddSingleton<ObjectService>();
        services.AddSingleton<ObjectReader>();
        services.AddSingleton<MultipartService>();
        services.AddSingleton<ListingEngine>();
        services.AddSingleton<VersionListingEngine>();
        return services;
    }
}
