using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Clusters;
using R2Meta.Domain.Storage;
using R2Meta.Hosting;

namespace R2Meta.Server;

/// <summary>
/// <c>R2Meta.Server buckets show|move</c> (what <c>script/buckets</c> runs): shows a bucket's directory entry and
/// moves a bucket to another metadata cluster online (docs/bucket-move.md), with the same settings the server reads.
/// <c>move BUCKET</c> without a cluster finishes a move a mover that died left in progress.
/// </summary>
public static class BucketsCommand
{
    public const string Name = "buckets";

    private const string Usage = """
        usage: script/buckets show BUCKET
               script/buckets move BUCKET [CLUSTER] [--stop-after STATE]
        move without CLUSTER resumes the move in progress. --stop-after (copying, fenced, switching, cleaningup,
        active) stops the mover once that step is recorded, as a crash there would (for tests and drills).
        """;

    /// <summary>Exit codes: 0 done, 1 no such bucket or cluster / nothing to resume, 2 usage or setting error, 3 store unreachable, 4 stopped as asked.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(args, out var verb, out var bucket, out var cluster, out var stopAfter))
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(overrides ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection().AddLogging();
        try
        {
            services.AddR2Meta(configuration);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        await using var provider = services.BuildServiceProvider();
        var clusters = provider.GetRequiredService<ClusterSet>();
        try
        {
            await provider.GetRequiredService<IMetadataStore>().InitializeAsync().ConfigureAwait(false);
            if (verb == "show")
            {
                return await ShowAsync(clusters, bucket, output, error).ConfigureAwait(false);
            }

            var options = provider.GetRequiredService<BucketMoveOptions>() with
            {
                AfterStep = (state, _) => state == stopAfter ? throw new MoverStoppedException(state) : Task.CompletedTask,
            };
            var result = await new BucketMover(clusters, options, TimeProvider.System).MoveAsync(bucket, cluster).ConfigureAwait(false);
            await (result == MoveResult.Moved ? output : error).WriteLineAsync($"{bucket}: {result}").ConfigureAwait(false);
            return result == MoveResult.Moved ? 0 : 1;
        }
        catch (MoverStoppedException e)
        {
            await output.WriteLineAsync($"{bucket}: stopped after {e.State}").ConfigureAwait(false);
            return 4;
        }
        catch (StoreUnavailableException e)
        {
            await error.WriteLineAsync($"A metadata cluster cannot be reached: {e.Message}").ConfigureAwait(false);
            return 3;
        }
    }

    private static async Task<int> ShowAsync(ClusterSet clusters, string bucket, TextWriter output, TextWriter error)
    {
        var entry = await clusters.Home.Metadata.GetBucketAsync(bucket).ConfigureAwait(false);
        if (!entry.IsOk || BucketPlacement.IsStoreRecord(entry.Value!))
        {
            await error.WriteLineAsync($"No bucket is named '{bucket}'.").ConfigureAwait(false);
            return 1;
        }

        var e = entry.Value!;
        await output.WriteLineAsync(
            $"{e.Name} cluster={clusters.Get(e.Cluster).Name} location={e.Region} incarnation={e.Incarnation ?? "-"} state={e.State} owner={e.OwnerId}"
            + (e.MoveCluster is null ? string.Empty : $" move={e.MoveCluster}/{e.MoveIncarnation ?? "-"}")).ConfigureAwait(false);
        return 0;
    }

    private static bool TryParse(string[] args, out string verb, out string bucket, out string? cluster, out BucketState? stopAfter)
    {
        verb = args.Length > 0 ? args[0] : string.Empty;
        bucket = args.Length > 1 ? args[1] : string.Empty;
        cluster = null;
        stopAfter = null;
        if (bucket.Length == 0 || verb is not ("show" or "move"))
        {
            return false;
        }

        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] == "--stop-after" && verb == "move" && i + 1 < args.Length && Enum.TryParse<BucketState>(args[i + 1], ignoreCase: true, out var state))
            {
                stopAfter = state;
                i++;
            }
            else if (cluster is null && verb == "move" && !args[i].StartsWith('-'))
            {
                cluster = args[i];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private sealed class MoverStoppedException(BucketState state) : Exception($"Stopped after {state}.")
    {
        public BucketState State { get; } = state;
    }
}
