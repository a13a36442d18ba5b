namespace R2Meta.Bench.Targets;

/// <summary>
/// What the small-object workload drives: the S3 endpoint, or the raw stores doing the equivalent
/// metadata and blob requests (so the two can be compared operation by operation).
/// </summary>
public interface IObjectTarget
{
    /// <summary>"r2meta" or "raw"; the target column of the report.</summary>
    string Name { get; }

    Task PutAsync(string key, byte[] payload, CancellationToken cancellationToken = default);

    /// <summary>Returns the number of body bytes read.</summary>
    Task<long> GetAsync(string key, CancellationToken cancellationToken = default);

    Task HeadAsync(string key, CancellationToken cancellationToken = default);

    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>Reads a body to its end without keeping it.</summary>
public static class Drain
{
    public static async Task<long> CountAsync(Stream body, CancellationToken cancellationToken = default)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
