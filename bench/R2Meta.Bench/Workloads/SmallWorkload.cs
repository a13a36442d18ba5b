using R2Meta.Bench.Data;
using R2Meta.Bench.Measurement;
using R2Meta.Bench.Targets;

namespace R2Meta.Bench.Workloads;

/// <summary>
/// Small objects at each concurrency: PUT new keys, GET and HEAD random ones of them, then DELETE every
/// key written (so the DELETE phase runs as many operations as the PUT phase did). With several targets
/// (R2Meta, raw, the floor) they take turns at each operation, so the phases compared with each other are
/// seconds apart and see the same background load (the speed of a small shared machine drifts by minutes).
/// </summary>
public static class SmallWorkload
{
    private static readonly string[] Operations = ["PUT", "GET", "HEAD", "DELETE"];

    public static async Task<List<WorkloadResult>> RunAsync(IReadOnlyList<IObjectTarget> targets, BenchOptions options, CancellationToken cancellationToken = default)
    {
        var payload = SeededStream.Bytes(options.ObjectSize, (ulong)options.Seed);

        // Untimed: connection pools, table/container creation, and above all the JIT. A fresh .NET process
        // compiles each hot method several times (tier 0, instrumented, tier 1) in the background while
        // under load; a few operations leave most of that to land inside the first measured phase, so one
        // full-length round at the highest concurrency runs first.
        await RoundAsync(targets, options with { Concurrency = [options.Concurrency.Max()] }, options.Concurrency.Max(), payload, "warmup", cancellationToken).ConfigureAwait(false);

        var results = new List<WorkloadResult>();
        foreach (var concurrency in options.Concurrency)
        {
            results.AddRange(await RoundAsync(targets, options, concurrency, payload, "small", cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Each operation's phase on every target in turn, at one concurrency.</summary>
    private static async Task<List<WorkloadResult>> RoundAsync(
        IReadOnlyList<IObjectTarget> targets, BenchOptions options, int concurrency, byte[] payload, string workload, CancellationToken cancellationToken)
    {
        var run = $"{Guid.NewGuid():N}"[..6];
        var phases = targets.Select(t => new TargetPhases(t, $"small/{t.Name}-{run}/c{concurrency}/", concurrency, payload)).ToList();
        var results = new List<WorkloadResult>();
        foreach (var operation in Operations)
        {
            foreach (var target in phases)
            {
                if (await target.RunAsync(operation, workload, options, cancellationToken).ConfigureAwait(false) is { } result)
                {
                    results.Add(result);
                }
            }
        }

        return results;
    }

    /// <summary>One target's keys through the four phases: PUT writes them, GET and HEAD read them, DELETE removes each.</summary>
    private sealed class TargetPhases(IObjectTarget target, string prefix, int concurrency, byte[] payload)
    {
        private readonly List<long>[] _written = [.. Enumerable.Range(0, concurrency).Select(_ => new List<long>())];
        private string[] _keys = [];

        /// <summary>The phase's result; null when there is nothing to read or delete (no PUT succeeded).</summary>
        public async Task<WorkloadResult?> RunAsync(string operation, string workload, BenchOptions options, CancellationToken cancellationToken)
        {
            if (operation == "PUT")
            {
                var put = await Phase(async (slot, ct) =>
                {
                    await target.PutAsync(prefix + slot.Index, payload, ct).ConfigureAwait(false);
                    _written[slot.Worker].Add(slot.Index);
                    return payload.Length;
                }, null).ConfigureAwait(false);
                _keys = [.. _written.SelectMany(w => w).Select(i => prefix + i)];
                return put;
            }

            if (_keys.Length == 0)
            {
                return null;
            }

            return operation switch
            {
                "GET" => await Phase((_, ct) => target.GetAsync(_keys[Random.Shared.Next(_keys.Length)], ct), null).ConfigureAwait(false),
                "HEAD" => await Phase(async (_, ct) =>
                {
                    await target.HeadAsync(_keys[Random.Shared.Next(_keys.Length)], ct).ConfigureAwait(false);
                    return 0;
                }, null).ConfigureAwait(false),
                _ => await Phase(async (slot, ct) =>
                {
                    await target.DeleteAsync(_keys[slot.Index], ct).ConfigureAwait(false);
                    return 0;
                }, _keys.Length).ConfigureAwait(false),
            };

            Task<WorkloadResult> Phase(Func<OpSlot, CancellationToken, Task<long>> body, long? exactOps) =>
                PhaseRunner.RunAsync(workload, target.Name, operation, concurrency, options.Duration, exactOps ?? options.Ops, body, cancellationToken);
        }
    }
}
