using R2Meta.Core.Auth;
using R2Meta.Core.Protocol;
using R2Meta.Core.Storage;

namespace R2Meta.Core.Services;

/// <summary>Bucket lifecycle and ownership: the global bucket namespace and per-account access.</summary>
public sealed class BucketService
{
    private readonly IMetadataStore _metadata;
    private readonly S3Options _options;
    private readonly TimeProvider _time;

    public BucketService(IMetadataStore metadata, S3Options options, TimeProvider time)
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

        var record = new BucketRecord
        {
            Name = name,
            OwnerId = account.CanonicalUserId,
            CreatedAt = _time.GetUtcNow(),
            Region = _options.Region,
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
        var result = await _metadata.GetBucketAsync(name, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk)
        {
            throw S3Errors.NoSuchBucket.WithDetail("BucketName", name).ToException();
        }

        return result.Value!.OwnerId == account.CanonicalUserId
            ? result.Value
            : throw S3Errors.AccessDenied.ToException();
    }

    public async Task DeleteAsync(Account account, string name, CancellationToken cancellationToken = default)
    {
        await GetOwnedAsync(account, name, cancellationToken).ConfigureAwait(false);
        var any = await _metadata.ReadRangeAsync(name, string.Empty, null, 1, cancellationToken).ConfigureAwait(false);
        if (any.Count > 0)
        {
            throw S3Errors.BucketNotEmpty.WithDetail("BucketName", name).ToException();
        }

        var status = await _metadata.DeleteBucketAsync(name, cancellationToken).ConfigureAwait(false);
        if (status == StoreStatus.NotFound)
        {
            throw S3Errors.NoSuchBucket.WithDetail("BucketName", name).ToException();
        }
    }

    public Task<IReadOnlyList<BucketRecord>> ListAsync(Account account, CancellationToken cancellationToken = default) =>
        _metadata.ListBucketsAsync(account.CanonicalUserId, cancellationToken);
}
