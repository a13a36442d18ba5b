using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Clusters;

/// <summary>Settings of <see cref="BucketMover"/>.</summary>
public sealed record BucketMoveOptions
{
    /// <summary>
    /// How long the mover waits after fencing writes and again after switching the directory: at least the bucket
    /// cache TTL (every gateway's entry has been read again since) plus the longest request (no write or read that
    /// began under the old entry is still running).
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>Called after each step is recorded in the directory, with the state reached; tests stop the mover there.</summary>
    public Func<BucketState, CancellationToken, Task>? AfterStep { get; init; }
}

/// <summary>What <see cref="BucketMover.MoveAsync"/> did.</summary>
public enum MoveResult
{
    Moved = 0,
    NoSuchBucket = 1,
    NoSuchCluster = 2,
    AlreadyThere = 3,
    /// <summary>No move in progress and no target named.</summary>
    NothingToResume = 4,
    /// <summary>The bucket is being deleted.</summary>
    Busy = 5,
}

/// <summary>
/// Moves a bucket's metadata to another cluster while clients keep using it: a state machine recorded in the
/// bucket's directory entry, so a mover that dies at any point is run again and carries on from the recorded
/// step (every step is idempotent). See docs/bucket-move.md.
/// <list type="number">
/// <item>Active → Copying: a new incarnation's record on the target (Incoming: nothing writes there); the entry
/// names it. Writes keep going to the source, the copier copies everything.</item>
/// <item>Copying → Fenced: the source's record of the bucket is fenced first (every write committed after this
/// fails its fence check and answers 503), then the entry (gateways refuse writes before committing).</item>
/// <item>Fenced → Switching: after the grace (no write that began under the old entry still runs) the copier
/// makes the target equal to the source, the target record takes the source's settings and goes Active, and the
/// entry names the target, writes still refused. The source is unchanged from here on, so a reader on an entry
/// that still names it reads what the target holds.</item>
/// <item>Switching → CleaningUp: after the grace no gateway can hold an entry naming the source; writes open on
/// the target.</item>
/// <item>CleaningUp → Active: the source's records are deleted, then its bucket record; the entry forgets the source.</item>
/// </list>
/// Blobs do not move: they are in the blob store, and both incarnations' records name the same blobs.
/// </summary>
public sealed class BucketMover
{
    private readonly ClusterSet _clusters;
    private readonly BucketMoveOptions _options;
    private readonly TimeProvider _time;

    public BucketMover(ClusterSet clusters, BucketMoveOptions options, TimeProvider time)
    {
        _clusters = clusters;
        _options = options;
        _time = time;
    }

    private IMetadataStore Directory => _clusters.Home.Metadata;

    /// <summary>Moves <paramref name="bucket"/> to <paramref name="target"/>, or (null) finishes the move in progress.</summary>
    public async Task<MoveResult> MoveAsync(string bucket, string? target, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var read = await Directory.GetBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
            if (!read.IsOk || BucketPlacement.IsStoreRecord(read.Value!))
            {
                return MoveResult.NoSuchBucket;
            }

            var entry = read.Value!;
            switch (entry.State)
            {
                case BucketState.Active when target is null:
                    return MoveResult.NothingToResume;
                case BucketState.Active:
                    if (_clusters.Find(target) is not { } destination)
                    {
                        return MoveResult.NoSuchCluster;
                    }

                    if (destination.Name == _clusters.Get(entry.Cluster).Name)
                    {
                        return MoveResult.AlreadyThere;
                    }

                    await StartAsync(entry, destination, cancellationToken).ConfigureAwait(false);
                    break;
                case BucketState.Copying:
                    await CopyAndFenceAsync(entry, cancellationToken).ConfigureAwait(false);
                    break;
                case BucketState.Fenced:
                    await SwitchAsync(entry, cancellationToken).ConfigureAwait(false);
                    break;
                case BucketState.Switching:
                    await Task.Delay(_options.Grace, _time, cancellationToken).ConfigureAwait(false);
                    await StepAsync(entry with { State = BucketState.CleaningUp }, cancellationToken).ConfigureAwait(false);
                    break;
                case BucketState.CleaningUp:
                    await CleanUpAsync(entry, cancellationToken).ConfigureAwait(false);
                    return MoveResult.Moved;
                default:
                    return MoveResult.Busy;
            }
        }
    }

    /// <summary>Step 1: the target's Incoming record of a new incarnation, then the entry names it (Copying).</summary>
    private async Task StartAsync(BucketRecord entry, MetadataCluster destination, CancellationToken cancellationToken)
    {
        var source = PlacementOf(entry);
        var settings = await SourceRecordAsync(entry, source, cancellationToken).ConfigureAwait(false);
        var incarnation = BucketPlacement.NewIncarnation();
        await EnsureTargetRecordAsync(settings, new BucketPlacement(destination, entry.Name, incarnation), cancellationToken).ConfigureAwait(false);
        await StepAsync(entry with { State = BucketState.Copying, MoveCluster = destination.Name, MoveIncarnation = incarnation }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Step 2: copy while writes go on, then fence the source's record and the entry (Fenced).</summary>
    private async Task CopyAndFenceAsync(BucketRecord entry, CancellationToken cancellationToken)
    {
        var source = PlacementOf(entry);
        var target = TargetOf(entry);
        var settings = await SourceRecordAsync(entry, source, cancellationToken).ConfigureAwait(false);
        await EnsureTargetRecordAsync(settings, target, cancellationToken).ConfigureAwait(false);
        await BucketCopier.CopyAsync(source, target, cancellationToken).ConfigureAwait(false);
        if (entry.Incarnation is not null)
        {
            await SetStateAsync(source, BucketState.Fenced, cancellationToken).ConfigureAwait(false);
        }

        // For a bucket created before clusters the entry is the source's record too: one write fences both.
        await StepAsync(entry with { State = BucketState.Fenced }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Step 3: after the grace, the target made exact and Active, then the entry names it (Switching).</summary>
    private async Task SwitchAsync(BucketRecord entry, CancellationToken cancellationToken)
    {
        var source = PlacementOf(entry);
        var target = TargetOf(entry);
        if (entry.Incarnation is not null)
        {
            await SetStateAsync(source, BucketState.Fenced, cancellationToken).ConfigureAwait(false);
        }

        await Task.Delay(_options.Grace, _time, cancellationToken).ConfigureAwait(false);
        var settings = await SourceRecordAsync(entry, source, cancellationToken).ConfigureAwait(false);
        await EnsureTargetRecordAsync(settings, target, cancellationToken).ConfigureAwait(false);
        await BucketCopier.SyncAsync(source, target, cancellationToken).ConfigureAwait(false);
        var targetRecord = (await target.Cluster.Metadata.GetBucketAsync(target.StoreName, cancellationToken).ConfigureAwait(false)).Value!;
        var active = SettingsOf(settings, target, BucketState.Active) with { Version = targetRecord.Version };
        Check(await target.Cluster.Metadata.ReplaceBucketAsync(active, cancellationToken).ConfigureAwait(false), "activating the target's record");
        await StepAsync(entry with
        {
            Cluster = target.Cluster.Name,
            Incarnation = target.Incarnation,
            Region = target.Cluster.Location,
            State = BucketState.Switching,
            MoveCluster = source.Cluster.Name,
            MoveIncarnation = source.Incarnation,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Step 5: the source's records, then its bucket record, then the entry forgets the move (Active).</summary>
    private async Task CleanUpAsync(BucketRecord entry, CancellationToken cancellationToken)
    {
        var source = new BucketPlacement(_clusters.Get(entry.MoveCluster), entry.Name, entry.MoveIncarnation);
        await BucketCopier.EmptyAsync(source, cancellationToken).ConfigureAwait(false);
        if (source.Incarnation is not null)
        {
            await source.Cluster.Metadata.DeleteBucketAsync(source.StoreName, cancellationToken).ConfigureAwait(false);
        }

        await StepAsync(entry with { State = BucketState.Active, MoveCluster = null, MoveIncarnation = null }, cancellationToken).ConfigureAwait(false);
    }

    private BucketPlacement PlacementOf(BucketRecord entry) => new(_clusters.Get(entry.Cluster), entry.Name, entry.Incarnation);

    private BucketPlacement TargetOf(BucketRecord entry) => new(_clusters.Get(entry.MoveCluster), entry.Name, entry.MoveIncarnation);

    /// <summary>The source cluster's record of the bucket (its settings); the entry itself for a bucket created before clusters.</summary>
    private static async Task<BucketRecord> SourceRecordAsync(BucketRecord entry, BucketPlacement source, CancellationToken cancellationToken)
    {
        if (entry.Incarnation is null)
        {
            return entry;
        }

        var record = await source.Cluster.Metadata.GetBucketAsync(source.StoreName, cancellationToken).ConfigureAwait(false);
        return record.IsOk ? record.Value! : throw new InvalidOperationException($"The record of bucket '{entry.Name}' is missing on cluster '{source.Cluster.Name}'.");
    }

    private static async Task EnsureTargetRecordAsync(BucketRecord settings, BucketPlacement target, CancellationToken cancellationToken)
    {
        var created = await target.Cluster.Metadata.CreateBucketAsync(SettingsOf(settings, target, BucketState.Incoming), cancellationToken).ConfigureAwait(false);
        if (created.Status is not (StoreStatus.Ok or StoreStatus.AlreadyExists))
        {
            throw new InvalidOperationException($"Unexpected store status {created.Status} creating the target's record.");
        }
    }

    /// <summary>The bucket's settings as the record of <paramref name="placement"/>'s incarnation.</summary>
    private static BucketRecord SettingsOf(BucketRecord settings, BucketPlacement placement, BucketState state) => settings with
    {
        Name = placement.StoreName,
        Cluster = placement.Cluster.Name,
        Incarnation = placement.Incarnation,
        Region = placement.Cluster.Location,
        State = state,
        MoveCluster = null,
        MoveIncarnation = null,
        Version = null,
    };

    private static async Task SetStateAsync(BucketPlacement placement, BucketState state, CancellationToken cancellationToken)
    {
        while (true)
        {
            var record = await placement.Cluster.Metadata.GetBucketAsync(placement.StoreName, cancellationToken).ConfigureAwait(false);
            if (!record.IsOk || record.Value!.State == state)
            {
                return;
            }

            // Conditioned on the version read: a settings change in between is kept (and copied by the final sync).
            if ((await placement.Cluster.Metadata.ReplaceBucketAsync(record.Value with { State = state }, cancellationToken).ConfigureAwait(false)).IsOk)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Records the next step in the directory entry, conditioned on the version read. When the entry changed meanwhile
    /// (a settings change of a bucket whose entry is its record, or another mover) nothing is recorded and the loop
    /// reads the entry again and repeats the step, which is idempotent.
    /// </summary>
    private async Task StepAsync(BucketRecord next, CancellationToken cancellationToken)
    {
        var recorded = await Directory.ReplaceBucketAsync(next, cancellationToken).ConfigureAwait(false);
        if (recorded.Status == StoreStatus.PreconditionFailed)
        {
            return;
        }

        Check(recorded, "recording a move step");
        if (_options.AfterStep is { } afterStep)
        {
            await afterStep(next.State, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Check(StoreResult<BucketRecord> result, string what)
    {
        if (!result.IsOk)
        {
            throw new InvalidOperationException($"Store status {result.Status} {what}.");
        }
    }
}
