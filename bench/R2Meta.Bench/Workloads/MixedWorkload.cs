using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.S3.Model;
using R2Meta.Bench.Data;
using R2Meta.Bench.Measurement;
using R2Meta.Bench.Targets;

namespace R2Meta.Bench.Workloads;

/// <summary>
/// 70% GET, 20% PUT (overwrite), 10% LIST (one page of 100 from a random start) over a pre-filled set of
/// small objects at one concurrency. Reports the blend and each operation on its own row.
/// </summary>
public static class MixedWorkload
{
    private const string Root = "mixed/";

    public static async Task<List<WorkloadResult>> RunAsync(S3Endpoint s3, BenchOptions options, CancellationToken cancellationToken = default)
    {
        var payload = SeededStream.Bytes(options.ObjectSize, (ulong)options.Seed);
        string KeyOf(long i) => $"{Root}k{i:D7}";
        var results = new List<WorkloadResult>
        {
            await PhaseRunner.RunAsync("mixed", "r2meta", "fill", options.MixedConcurrency, TimeSpan.MaxValue, options.MixedKeys, async (slot, ct) =>
            {
                await s3.PutAsync(KeyOf(slot.Index), payload, ct).ConfigureAwait(false);
                return payload.Length;
            }, cancellationToken).ConfigureAwait(false),
        };

        var kinds = new[] { "GET", "PUT", "LIST" };
        var latencies = kinds.ToDictionary(k => k, _ => new ConcurrentQueue<double>());
        var errors = kinds.ToDictionary(k => k, _ => 0L);
        var blend = await PhaseRunner.RunAsync("mixed", "r2meta", "70/20/10", options.MixedConcurrency, options.Duration, options.Ops, async (_, ct) =>
        {
            var roll = Random.Shared.Next(100);
            var key = KeyOf(Random.Shared.Next(options.MixedKeys));
            var kind = roll < 70 ? "GET" : roll < 90 ? "PUT" : "LIST";
            var started = Stopwatch.GetTimestamp();
            try
            {
                long moved = kind switch
                {
                    "GET" => await s3.GetAsync(key, ct).ConfigureAwait(false),
                    "PUT" => await PutAsync(key, ct).ConfigureAwait(false),
                    _ => await ListAsync(key, ct).ConfigureAwait(false),
                };
                latencies[kind].Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return moved;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                lock (errors)
                {
                    errors[kind]++;
                }

                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
        results.Add(blend);

        foreach (var kind in kinds)
        {
            var sorted = latencies[kind].ToArray();
            Array.Sort(sorted);
            results.Add(new WorkloadResult
            {
                Workload = "mixed",
                Target = "r2meta",
                Operation = kind,
                Concurrency = options.MixedConcurrency,
                Ops = sorted.Length,
                Errors = errors[kind],
                Seconds = blend.Seconds,
                Bytes = kind == "LIST" ? 0 : sorted.Length * (long)payload.Length,
                P50Ms = PhaseRunner.Percentile(sorted, 0.50),
                P90Ms = PhaseRunner.Percentile(sorted, 0.90),
                P99Ms = PhaseRunner.Percentile(sorted, 0.99),
                MaxMs = sorted.Length > 0 ? sorted[^1] : 0,
            });
        }

        // Not timed: leave the bucket as it was.
        await PhaseRunner.RunAsync("mixed", "r2meta", "cleanup", options.MixedConcurrency, TimeSpan.MaxValue, options.MixedKeys, async (slot, ct) =>
        {
            await s3.DeleteAsync(KeyOf(slot.Index), ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return results;

        async Task<long> PutAsync(string key, CancellationToken ct)
        {
            await s3.PutAsync(key, payload, ct).ConfigureAwait(false);
            return payload.Length;
        }

        async Task<long> ListAsync(string startAfter, CancellationToken ct)
        {
            await s3.ListAsync(new ListObjectsV2Request { BucketName = s3.Bucket, Prefix = Root, StartAfter = startAfter, MaxKeys = 100 }, ct).ConfigureAwait(false);
            return 0;
        }
    }
}
