using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Maintenance;

/// <summary>
/// How the maintenance jobs find their buckets: by the first segment of the blob names, so a bucket whose metadata is
/// gone is still visited (the orphan sweeper needs that). Each bucket is visited on its own: a failure is reported and
/// the walk goes on with the next bucket; only the run's own cancellation ends it.
/// </summary>
internal static class BlobBuckets
{
    public static async Task ForEachAsync(IBlobStore blobs, Func<string, Task> visit, Action<string, Exception> failed, CancellationToken cancellationToken)
    {
        await foreach (var bucket in blobs.ListTopLevelPrefixesAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await visit(bucket).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failed(bucket, e);
            }
        }
    }
}
