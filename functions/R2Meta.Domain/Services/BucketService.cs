using System.Collections.Concurrent;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Errors;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// Bucket lifecycle and ownership: the global bucket namespace and per-account access.
/// Every object request checks ownership, so existing buckets are remembered for
/// <see cref="BucketOptions.BucketCacheTtl"/> (S3's bucket operations are eventually consistent too);
/// a deletion here forgets at once, one on another instance within that time.
/// </summary>
public sealed class BucketService
{
    private readonly IMetadataStore _metadata;
    private readonly BucketOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (BucketRecord Record, long ExpiresAt)> _known = new(StringComparer.Ordinal);

    public BucketService(IMetadataStore metadata, BucketOptions options, TimeProvider time)
    {
        _metadata = metadata;
        _options = options;
        _time = time;
    }

    public async Task<BucketRecord> CreateAsync(Account account, string name, CancellationToken cancellationToken = default)
    {
        if (!BucketNames.IsValid(name))
        {
            throw S3Errors.InvalidBucketName.WithDetail("BucketName", name).ToException();
        }

        if (_options.ReservedNames.Contains(name))
        {
            throw S3Errors.InvalidBucketName
                .With($"The bucket name '{name}' is reserved on this deployment: its host answers the path /{name} itself, so the bucket could not be reached path-style. Choose another name.")
                .WithDetail("BucketName", name)
                .ToException();
        }

        var record = new BucketRecord
        {
            Name = name,
            OwnerId = account.CanonicalUserId,
            CreatedAt = _time.GetUtcNow(),
            Region = _options.Region,
            HasDirectoryIndex = true,
        };
        var result = await _metadata.CreateBucketAsync(record, cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            StoreStatus.Ok => result.Value!,
            StoreStatus.AlreadyExists when result.Value?.OwnerId == account.CanonicalUserId =>
                throw S3Errors.BucketAlreadyOwnedByYou.WithDetail("BucketName", name).ToException(),
            StoreStatus.AlreadyExists => throw S3Errors.BucketAlreadyExists.WithDetail("BucketName", name).ToException(),
            _ => throw new InvalidOperationException($"Unexpected store status {result.Status} creating a bucket."),
        };
    }

    /// <summary>The bucket if it exists and <paramref name="account"/> owns it; otherwise the S3 error.</summary>
    public async Task<BucketRecord> GetOwnedAsync(Account account, string name, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw S3Errors.NoSuchBucket.WithDetail("BucketName", name).ToException();
        return record.OwnerId == account.CanonicalUserId
            ? record
            : throw S3Errors.AccessDenied.ToException();
    }

    /// <summary>The caller's bucket, if it holds no object (else BucketNotEmpty): what DeleteBucket needs first.</summary>
    public async Task<BucketRecord> GetDeletableAsync(Account account, string name, CancellationToken cancellationToken = default)
    {
        var bucket = await GetOwnedAsync(account, name, cancellationToken).ConfigureAwait(false);
        var any = await _metadata.ReadRangeAsync(name, string.Empty, null, 1, cancellationToken).ConfigureAwait(false);
        return any.Count == 0 ? bucket : throw S3Errors.BucketNotEmpty.WithDetail("BucketName", name).ToException();
    }

    public async Task DeleteAsync(Account account, string name, CancellationToken cancellationToken = default)
    {
        await GetDeletableAsync(account, name, cancellationToken).ConfigureAwait(false);
        _known.TryRemove(name, out _);
        var status = await _metadata.DeleteBucketAsync(name, cancellationToken).ConfigureAwait(false);
        if (status == StoreStatus.NotFound)
        {
            throw S3Errors.NoSuchBucket.WithDetail("BucketName", name).ToException();
        }
    }

    private async Task<BucketRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_known.TryGetValue(name, out var known) && known.ExpiresAt > now)
        {
            return known.Record;
        }

        var result = await _metadata.GetBucketAsync(name, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk)
        {
            _known.TryRemove(name, out _);
            return null;
        }

        if (_options.BucketCacheTtl > TimeSpan.Zero)
        {
            _known[name] = (result.Value!, now + (long)(_options.BucketCacheTtl.TotalSeconds * _time.TimestampFrequency));
        }

        return result.Value;
    }

    public Task<IReadOnlyList<BucketRecord>> ListAsync(Account account, CancellationToken cancellationToken = default) =>
        _metadata.ListBucketsAsync(account.CanonicalUserId, cancellationToken);
}
