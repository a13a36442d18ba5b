namespace R2Meta.Functions;

/// <summary>What the Azure Functions host keeps for itself in front of the catch-all trigger.</summary>
public static class FunctionsHostPaths
{
    /// <summary>
    /// The Functions host answers <c>/admin/…</c> and <c>/runtime/…</c> itself (its management API) and
    /// never forwards them to a trigger, whatever the route prefix: a bucket of either name could never be
    /// reached path-style, so CreateBucket refuses these names on this host instead of making a bucket
    /// that half works.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedBucketNames = ["admin", "runtime"];
}
