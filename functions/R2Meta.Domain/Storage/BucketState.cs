namespace R2Meta.Domain.Storage;

/// <summary>
/// Where a bucket record stands in its lifecycle. On a directory entry it is the state of the bucket's placement
/// (see docs/bucket-move.md); on a cluster's own bucket record it says whether that cluster may take writes for
/// the bucket. Persisted: explicit values, guarded by a test.
/// </summary>
public enum BucketState
{
    /// <summary>Serving reads and writes on its cluster (every record written before clusters existed).</summary>
    Active = 0,

    /// <summary>Move step 1: the copier copies to the target while the source keeps taking writes.</summary>
    Copying = 1,

    /// <summary>Move step 2: writes are fenced (503 SlowDown) while the copier makes the target exact.</summary>
    Fenced = 2,

    /// <summary>Move step 3: the directory names the target; writes stay fenced until no gateway can still hold the source.</summary>
    Switching = 3,

    /// <summary>Move step 4: the target serves; the source's copy is being deleted.</summary>
    CleaningUp = 4,

    /// <summary>DeleteBucket is checking that the bucket is empty; writes are refused.</summary>
    Deleting = 5,

    /// <summary>A move's target record before the switch: nothing may write there yet.</summary>
    Incoming = 6,
}
