using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.EndToEnd.Tests.Maintenance;

namespace R2Meta.EndToEnd.Tests.Lifecycle;

/// <summary>The host's lifecycle executor with its clock fixed at a chosen time (the server itself keeps the real time, which SigV4 needs).</summary>
internal static class LifecycleJobs
{
    public static LifecycleJob At(R2MetaHost host, DateTimeOffset now, LifecycleOptions? options = null) => new(
        host.Blobs,
        host.Metadata,
        host.Services.GetRequiredService<IVersionStore>(),
        host.Services.GetRequiredService<IUploadStore>(),
        host.Services.GetRequiredService<ObjectCommitter>(),
        host.Services.GetRequiredService<UploadAborter>(),
        options ?? new LifecycleOptions(),
        new FixedTimeProvider(now),
        NullLogger<LifecycleJob>.Instance);
}
