using R2Meta.Domain.Services;

namespace R2Meta.Domain.Maintenance;

/// <summary>How old an in-progress multipart upload may get before it is aborted (R2META_MULTIPART_MAX_AGE_DAYS, default 7).</summary>
public sealed record ExpiredUploadsOptions
{
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);
}

/// <summary>Aborts multipart uploads initiated more than <see cref="ExpiredUploadsOptions.MaxAge"/> ago, in every bucket.</summary>
public sealed class ExpiredUploadsJob : IMaintenanceJob
{
    public const string JobName = "expired-uploads";

    private readonly MultipartService _multipart;
    private readonly ExpiredUploadsOptions _options;
    private readonly TimeProvider _time;

    public ExpiredUploadsJob(MultipartService multipart, ExpiredUploadsOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAge, TimeSpan.Zero);
        _multipart = multipart;
        _options = options;
        _time = time;
    }

    public string Name => JobName;

    public Task RunAsync(CancellationToken cancellationToken) => _multipart.AbortExpiredAsync(_time.GetUtcNow() - _options.MaxAge, cancellationToken);
}
