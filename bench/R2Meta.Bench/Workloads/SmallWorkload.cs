using R2Meta.Bench.Data;
using R2Meta.Bench.Measurement;
using R2Meta.Bench.Targets;

namespace R2Meta.Bench.Workloads;

/// <summary>
/// Small objects at each concurrency: PUT new keys, GET and HEAD random ones of them, then DELETE every
/// key written (so the DELETE phase runs as many operations as the PUT phase did). With several targets
/// (R2Meta and raw) they take turns at each concurrency, so both see the same background load.
/// </summary>
public static class SmallWorkload
{
    public static async Task<List<WorkloadResult>> RunAsync(IReadOnlyList<IObjectTarget> targets, BenchOptions options, CancellationToken cancellationToken = default)
    {
        var payload = SeededStream.Bytes(options.ObjectSize, (ulong)options.Seed);
        var results = new List<WorkloadResult>();
        foreach (var target in targets)
        {
            // Untimed: connection pools, table/container creation, and above all the JIT. A fresh .NET process
            // compiles each hot method several times (tier 0, instrumented, tier 1) in the background while
            // under load; a few operations leave most of that to land inside the first measured phase, so one
            // full-length round at the highest concurrency runs first.
            var warmup = options with { Concurrency = [options.Concurrency.Max()] };
            await PhaseAsync(target, warmup, payload, "warmup", cancellationToken).ConfigureAwait(false);
        }

        foreach (var concurrency in options.Concurrency)
        {
            foreach (var target in targets)
            {
                results.AddRange(await PhaseAsync(target, options with { Concurrency = [concurrency] }, payload, "small", cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    private static async Task<List<WorkloadResult>> PhaseAsync(IObjectTarget target, BenchOptions options, byte[] payload, string workload, CancellationToken cancellationToken)
    {
        var results = new List<WorkloadResult>();
        var run = $"{Guid.NewGuid():N}"[..6];
        foreach (var concurrency in options.Concurrency)
        {
            var prefix = $"small/{target.Name}-{run}/c{concurrency}/";
            var written = new List<long>[concurrency];
            for (var w = 0; w < concurrency; w++)
            {
                written[w] = [];
            }

            results.Add(await Phase("PUT", async (slot, ct) =>
            {
                await target.PutAsync(prefix + slot.Index, payload, ct).ConfigureAwait(false);
                written[slot.Worker].Add(slot.Index);
                return payload.Length;
            }, null).ConfigureAwait(false));

            var keys = written.SelectMany(w => w).Select(i => prefix + i).ToArray();
            if (keys.Length == 0)
            {
                continue;
            }

            results.Add(await Phase("GET", (_, ct) => target.GetAsync(keys[Random.Shared.Next(keys.Length)], ct), null).ConfigureAwait(false));
            results.Add(await Phase("HEAD", async (_, ct) =>
            {
                await target.HeadAsync(keys[Random.Shared.Next(keys.Length)], ct).ConfigureAwait(false);
                return 0;
            }, null).ConfigureAwait(false));
            results.Add(await Phase("DELETE", async (slot, ct) =>
            {
                await target.DeleteAsync(keys[slot.Index], ct).ConfigureAwait(false);
                return 0;
            }, keys.Length).ConfigureAwait(false));

            Task<WorkloadResult> Phase(string operation, Func<OpSlot, CancellationToken, Task<long>> body, long? exactOps) =>
                PhaseRunner.RunAsync(workload, target.Name, operation, concurrency, options.Duration, exactOps ?? options.Ops, body, cancellationToken);
        }

        return results;
    }
}
