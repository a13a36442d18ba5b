namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>What a client did to one key: a write (put of a unique value, or delete) or a read of it.</summary>
public enum OpKind
{
    Put = 0,
    Delete = 1,
    Get = 2,
}

/// <summary>
/// One completed (or indeterminate) operation of a history. Times are one process's monotonic ticks:
/// <see cref="Invoked"/> before the request left, <see cref="Completed"/> after the answer came
/// (<see cref="long.MaxValue"/> when the write's outcome is unknown: it may take effect any time later).
/// A put's <see cref="Value"/> is the unique ETag of what it wrote; a get's is what it read (null: absent).
/// </summary>
public sealed record Op(int Client, OpKind Kind, string Key, string? Value, long Invoked, long Completed);

/// <summary>A ListObjectsV2 of the whole key set and the keys it returned.</summary>
public sealed record ListOp(int Client, IReadOnlySet<string> Keys, long Invoked, long Completed);

/// <summary>A violation the checker found, in words a failing test can print.</summary>
public sealed record Violation(string Key, string Description);

/// <summary>A history of concurrent clients, recorded thread-safely.</summary>
public sealed class History
{
    private readonly List<Op> _ops = [];
    private readonly List<ListOp> _lists = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<Op> Ops
    {
        get { lock (_lock) { return [.. _ops]; } }
    }

    public IReadOnlyList<ListOp> Lists
    {
        get { lock (_lock) { return [.. _lists]; } }
    }

    public void Add(Op op)
    {
        lock (_lock) { _ops.Add(op); }
    }

    public void Add(ListOp list)
    {
        lock (_lock) { _lists.Add(list); }
    }
}

/// <summary>
/// A per-key linearizability check for a register whose every put writes a unique value (deletes write
/// "absent"), plus list-after-write. A read (or a list's view of one key) that observed a class of values
/// is legal only if some write W of that class (or the initial absent state) was invoked before the read
/// completed and no write of another class ran entirely between W's completion and the read's
/// invocation — in every linearization such a write would sit between W and the read. The condition is
/// necessary for linearizability, so the checker never flags a linearizable history; it catches stale
/// reads, lost writes, reads of values never written and lists missing a committed key or showing a
/// deleted one.
/// </summary>
public static class LinearizabilityChecker
{
    private sealed record Write(bool Present, string? Value, long Invoked, long Completed);

    private static readonly Write Initial = new(false, null, long.MinValue, long.MinValue);

    public static IReadOnlyList<Violation> Check(IReadOnlyList<Op> ops, IReadOnlyList<ListOp> lists)
    {
        var violations = new List<Violation>();
        var writesByKey = ops.Where(o => o.Kind != OpKind.Get)
            .GroupBy(o => o.Key)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Write>)[Initial, .. g.Select(o => new Write(o.Kind == OpKind.Put, o.Kind == OpKind.Put ? o.Value : null, o.Invoked, o.Completed))]);

        foreach (var read in ops.Where(o => o.Kind == OpKind.Get))
        {
            var writes = writesByKey.GetValueOrDefault(read.Key) ?? new[] { Initial };
            bool Matches(Write w) => w.Present == (read.Value is not null) && (read.Value is null || w.Value == read.Value);
            if (!Observable(writes, Matches, read.Invoked, read.Completed))
            {
                violations.Add(new Violation(read.Key, $"client {read.Client} read {read.Value ?? "absent"} in [{read.Invoked}, {read.Completed}], which no legal order allows"));
            }
        }

        var keys = writesByKey.Keys.Concat(lists.SelectMany(l => l.Keys)).Distinct().ToList();
        foreach (var list in lists)
        {
            foreach (var key in keys)
            {
                var present = list.Keys.Contains(key);
                var writes = writesByKey.GetValueOrDefault(key) ?? new[] { Initial };
                if (!Observable(writes, w => w.Present == present, list.Invoked, list.Completed))
                {
                    violations.Add(new Violation(key, $"client {list.Client}'s list in [{list.Invoked}, {list.Completed}] {(present ? "showed" : "missed")} the key, which no legal order allows"));
                }
            }
        }

        return violations;
    }

    private static bool Observable(IReadOnlyList<Write> writes, Func<Write, bool> matches, long readInvoked, long readCompleted) =>
        writes.Any(w => matches(w) && w.Invoked < readCompleted
            && !writes.Any(x => !matches(x) && w.Completed < x.Invoked && x.Completed < readInvoked));
}
