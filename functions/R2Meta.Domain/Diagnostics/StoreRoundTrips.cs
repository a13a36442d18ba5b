namespace R2Meta.Domain.Diagnostics;

/// <summary>
/// Counts the metadata store requests made on behalf of one S3 request: a handler opens a scope, the
/// metadata adapters report each request they send (<see cref="Add"/>), and the handler reads the count
/// into the <c>x-r2meta-store-round-trips</c> response header, so the cost of an operation can be seen
/// from the outside. Ambient (an AsyncLocal) because the adapters sit below the ports, deep in the SDKs'
/// pipelines; outside a scope <see cref="Add"/> does nothing.
/// </summary>
public static class StoreRoundTrips
{
    private static readonly AsyncLocal<Counter?> Current = new();
    private static long _total;

    /// <summary>Metadata store requests made by this process since it started, in or out of a scope (for the bench's process probe).</summary>
    public static long Total => Interlocked.Read(ref _total);

    /// <summary>Starts counting for the calling async flow until the scope is disposed.</summary>
    public static Scope Begin()
    {
        var previous = Current.Value;
        var counter = new Counter();
        Current.Value = counter;
        return new Scope(counter, previous);
    }

    /// <summary>Called by a metadata adapter for each request it sends.</summary>
    public static void Add()
    {
        Interlocked.Increment(ref _total);
        if (Current.Value is { } counter)
        {
            Interlocked.Increment(ref counter.Count);
        }
    }

    public sealed class Counter
    {
        internal int Count;
    }

    public readonly struct Scope : IDisposable
    {
        private readonly Counter _counter;
        private readonly Counter? _previous;

        internal Scope(Counter counter, Counter? previous)
        {
            _counter = counter;
            _previous = previous;
        }

        public int Count => Volatile.Read(ref _counter.Count);

        public void Dispose() => Current.Value = _previous;
    }
}
