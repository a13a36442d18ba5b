using System.Diagnostics;
using R2Meta.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>
/// Concurrent clients on a small key set against a real server; the recorded history must be
/// linearizable per key and keep list-after-write. The same workload against a store that serves
/// stale reads must fail the checker, which proves the checker can fail.
/// </summary>
public abstract class HistoryTests(R2MetaHost host, ITestOutputHelper output)
{
    private static TimeSpan Duration => FaultClients.LongMode ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(12);

    [Fact]
    public async Task History_ConcurrentClientsOnFewKeys_IsLinearizable()
    {
        var bucket = Names.Bucket("hist");
        using (var s3 = S3Clients.PathStyle(host))
        {
            await s3.PutBucketAsync(bucket);
        }

        var started = Stopwatch.StartNew();
        var run = await HistoryWorkload.RunAsync(host.Endpoint, bucket, clients: 5, keys: 3, Duration, seed: 15);
        var violations = LinearizabilityChecker.Check(run.History.Ops, run.History.Lists);
        output.WriteLine($"{host.Backend}: {run.Requests} requests ({run.History.Ops.Count} ops, {run.History.Lists.Count} lists, {run.Errors} errors) in {started.Elapsed.TotalSeconds:F1} s; {violations.Count} violations, {run.Corruptions.Count} corruptions");

        Assert.Empty(run.Corruptions);
        Assert.Empty(violations);
        // The machines are shared and often loaded: ask only that the history has something to check.
        Assert.Contains(run.History.Ops, o => o.Kind == OpKind.Get && o.Value is not null);
        Assert.NotEmpty(run.History.Lists);
    }
}

public sealed class TablesHistoryTests(TablesHost host, ITestOutputHelper output) : HistoryTests(host, output), IClassFixture<TablesHost>;

public sealed class CosmosHistoryTests(CosmosHost host, ITestOutputHelper output) : HistoryTests(host, output), IClassFixture<CosmosHost>;

/// <summary>The negative test: a store serving stale reads produces a history the checker rejects.</summary>
public sealed class StaleStoreHistoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task History_StoreServingStaleReads_FailsTheChecker()
    {
        await using var host = await StaleReadHost.StartAsync(staleShare: 0.3, seed: 15);
        var bucket = Names.Bucket("stale");
        using (var s3 = FaultClients.Create(host.Endpoint, TimeSpan.FromSeconds(100)))
        {
            await s3.PutBucketAsync(bucket);
        }

        var run = await HistoryWorkload.RunAsync(host.Endpoint, bucket, clients: 5, keys: 3, TimeSpan.FromSeconds(8), seed: 15);
        var violations = LinearizabilityChecker.Check(run.History.Ops, run.History.Lists);
        output.WriteLine($"stale store: {run.Requests} requests, {host.Store.StaleReads} stale reads served, {violations.Count} violations; first: {violations.FirstOrDefault()}");

        Assert.True(host.Store.StaleReads > 0, "the fake served no stale read");
        Assert.NotEmpty(violations);
    }
}
