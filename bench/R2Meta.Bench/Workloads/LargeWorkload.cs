using Amazon.S3.Model;
using Amazon.S3.Transfer;
using R2Meta.Bench.Data;
using R2Meta.Bench.Measurement;
using R2Meta.Bench.Targets;

namespace R2Meta.Bench.Workloads;

/// <summary>
/// Large objects, one at a time, for each --large-size: a single PUT and its GET, then a TransferUtility multipart
/// upload (--part-size parts, 4 in flight) and its GET; with a raw target, Blob Storage's own upload and download of
/// the same size in the same run, the floor the R2Meta rows are compared with (<see cref="Report.CompareLarge"/>).
/// Bodies come from <see cref="SeededStream"/>; GET bodies are counted, not kept. When the server pid is known, each
/// R2Meta row carries the server's peak working set during that operation. A failure becomes an error row.
/// </summary>
public static class LargeWorkload
{
    /// <summary>The word that tells a multipart row from a single-request one ("PUT multipart 1GiB" against "PUT 1GiB").</summary>
    public const string Multipart = " multipart";

    public static async Task<List<WorkloadResult>> RunAsync(S3Endpoint s3, RawStoreTarget? raw, BenchOptions options, ServerMemory memory, CancellationToken cancellationToken = default)
    {
        var results = new List<WorkloadResult>();
        foreach (var size in options.LargeSizes)
        {
            var single = $"large/single-{Guid.NewGuid():N}";
            var multi = $"large/multipart-{Guid.NewGuid():N}";
            var seed = (ulong)options.Seed;

            results.Add(await OneAsync("r2meta", "PUT", size, async ct =>
            {
                using var body = new SeededStream(size, seed);
                await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = s3.Bucket, Key = single, InputStream = body, AutoCloseStream = false }, ct).ConfigureAwait(false);
                return size;
            }).ConfigureAwait(false));
            results.Add(await OneAsync("r2meta", "GET", size, ct => GetAsync(s3, single, size, ct)).ConfigureAwait(false));

            results.Add(await OneAsync("r2meta", "PUT" + Multipart, size, async ct =>
            {
                using var transfer = new TransferUtility(s3.Client, new TransferUtilityConfig { ConcurrentServiceRequests = 4 });
                using var body = new SeededStream(size, seed + 1);
                await transfer.UploadAsync(new TransferUtilityUploadRequest
                {
                    BucketName = s3.Bucket,
                    Key = multi,
                    InputStream = body,
                    PartSize = options.PartSize,
                    AutoCloseStream = false,
                }, ct).ConfigureAwait(false);
                return size;
            }).ConfigureAwait(false));
            results.Add(await OneAsync("r2meta", "GET" + Multipart, size, ct => GetAsync(s3, multi, size, ct)).ConfigureAwait(false));

            foreach (var key in new[] { single, multi })
            {
                await CleanUpAsync(() => s3.DeleteAsync(key, cancellationToken)).ConfigureAwait(false);
            }

            if (raw is not null)
            {
                var blob = $"large-{Guid.NewGuid():N}";
                results.Add(await OneAsync("raw", "PUT", size, async ct =>
                {
                    using var body = new SeededStream(size, seed);
                    return await raw.UploadBlobAsync(blob, body, ct).ConfigureAwait(false);
                }).ConfigureAwait(false));
                results.Add(await OneAsync("raw", "GET", size, async ct =>
                {
                    var read = await raw.DownloadBlobAsync(blob, ct).ConfigureAwait(false);
                    return read == size ? read : throw new InvalidOperationException($"download of {blob} returned {read} bytes, expected {size}");
                }).ConfigureAwait(false));
                await CleanUpAsync(() => raw.DeleteBlobAsync(blob, cancellationToken)).ConfigureAwait(false);
            }
        }

        return results;

        async Task<WorkloadResult> OneAsync(string target, string operation, long size, Func<CancellationToken, Task<long>> body)
        {
            memory.ResetPeak();
            var row = await PhaseRunner.RunAsync("large", target, $"{operation} {Size(size)}", 1, TimeSpan.MaxValue, 1, (_, ct) => body(ct), cancellationToken).ConfigureAwait(false);
            // The raw rows do not go through the server: its peak then says nothing about them.
            return target == "r2meta" ? row with { ServerPeakMiB = memory.PeakMiB() } : row;
        }
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}GiB",
        >= 1L << 20 => $"{bytes >> 20}MiB",
        >= 1L << 10 => $"{bytes >> 10}KiB",
        _ => $"{bytes}B",
    };

    private static async Task CleanUpAsync(Func<Task> delete)
    {
        try
        {
            await delete().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Cleanup only; a missing object (failed upload) is expected here.
        }
    }

    private static async Task<long> GetAsync(S3Endpoint s3, string key, long expected, CancellationToken cancellationToken)
    {
        using var response = await s3.Client.GetObjectAsync(s3.Bucket, key, cancellationToken).ConfigureAwait(false);
        var read = await Drain.CountAsync(response.ResponseStream, cancellationToken).ConfigureAwait(false);
        return read == expected ? read : throw new InvalidOperationException($"GET {key} returned {read} bytes, expected {expected}");
    }
}
