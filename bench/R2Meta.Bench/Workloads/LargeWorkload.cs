using Amazon.S3.Model;
using Amazon.S3.Transfer;
using R2Meta.Bench.Data;
using R2Meta.Bench.Measurement;
using R2Meta.Bench.Targets;

namespace R2Meta.Bench.Workloads;

/// <summary>
/// Large objects, one at a time: a single PUT and GET of --large-size, then a TransferUtility multipart
/// upload of --multipart-size and its GET. Bodies come from <see cref="SeededStream"/>; GET bodies are
/// counted, not kept. When the server pid is known, each row carries the server's peak working set
/// during that operation. A failure (e.g. multipart not implemented yet) becomes an error row.
/// </summary>
public static class LargeWorkload
{
    public static async Task<List<WorkloadResult>> RunAsync(S3Endpoint s3, BenchOptions options, ServerMemory memory, CancellationToken cancellationToken = default)
    {
        var results = new List<WorkloadResult>();
        var single = $"large/single-{Guid.NewGuid():N}";
        var multi = $"large/multipart-{Guid.NewGuid():N}";

        results.Add(await OneAsync("PUT", options.LargeSize, async ct =>
        {
            using var body = new SeededStream(options.LargeSize, (ulong)options.Seed);
            await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = s3.Bucket, Key = single, InputStream = body, AutoCloseStream = false }, ct).ConfigureAwait(false);
            return options.LargeSize;
        }).ConfigureAwait(false));
        results.Add(await OneAsync("GET", options.LargeSize, ct => GetAsync(s3, single, options.LargeSize, ct)).ConfigureAwait(false));

        results.Add(await OneAsync("PUT multipart", options.MultipartSize, async ct =>
        {
            using var transfer = new TransferUtility(s3.Client, new TransferUtilityConfig { ConcurrentServiceRequests = 4 });
            using var body = new SeededStream(options.MultipartSize, (ulong)options.Seed + 1);
            await transfer.UploadAsync(new TransferUtilityUploadRequest
            {
                BucketName = s3.Bucket,
                Key = multi,
                InputStream = body,
                PartSize = options.PartSize,
                AutoCloseStream = false,
            }, ct).ConfigureAwait(false);
            return options.MultipartSize;
        }).ConfigureAwait(false));
        results.Add(await OneAsync("GET multipart", options.MultipartSize, ct => GetAsync(s3, multi, options.MultipartSize, ct)).ConfigureAwait(false));

        foreach (var key in new[] { single, multi })
        {
            try
            {
                await s3.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Cleanup only; a missing object (failed upload) is expected here.
            }
        }

        return results;

        async Task<WorkloadResult> OneAsync(string operation, long size, Func<CancellationToken, Task<long>> body)
        {
            memory.ResetPeak();
            var row = await PhaseRunner.RunAsync("large", "r2meta", $"{operation} {Size(size)}", 1, TimeSpan.MaxValue, 1, (_, ct) => body(ct), cancellationToken).ConfigureAwait(false);
            return row with { ServerPeakMiB = memory.PeakMiB() };
        }
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}GiB",
        >= 1L << 20 => $"{bytes >> 20}MiB",
        >= 1L << 10 => $"{bytes >> 10}KiB",
        _ => $"{bytes}B",
    };

    private static async Task<long> GetAsync(S3Endpoint s3, string key, long expected, CancellationToken cancellationToken)
    {
        using var response = await s3.Client.GetObjectAsync(s3.Bucket, key, cancellationToken).ConfigureAwait(false);
        var read = await Drain.CountAsync(response.ResponseStream, cancellationToken).ConfigureAwait(false);
        return read == expected ? read : throw new InvalidOperationException($"GET {key} returned {read} bytes, expected {expected}");
    }
}
