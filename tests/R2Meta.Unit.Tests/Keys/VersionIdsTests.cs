using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Keys;

public sealed class VersionIdsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void New_LaterTime_SortsFirstAndIsWellFormed()
    {
        var older = VersionIds.New(T0);
        var newer = VersionIds.New(T0.AddTicks(1));

        Assert.True(string.CompareOrdinal(newer, older) < 0);
        Assert.True(VersionIds.IsWellFormed(older));
        Assert.False(VersionIds.IsWellFormed(VersionIds.Null));
        Assert.False(VersionIds.IsWellFormed("ABCDEFABCDEFABCDEFABCDEF"));
    }

    [Fact]
    public void SortKey_OrdersByKeyInUtf8OrderThenNewestFirst()
    {
        var ids = Enumerable.Range(0, 5).Select(i => VersionIds.New(T0.AddSeconds(i))).ToList();
        string[] keys = ["a", "a/", "ab", "é", "\uFFFD", "a\u0000"];
        var expected = keys.OrderBy(k => System.Text.Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))
            .SelectMany(k => ids.AsEnumerable().Reverse().Select(id => (k, id)))
            .ToList();

        var actual = keys.SelectMany(k => ids.Select(id => (k, id)))
            .OrderBy(e => VersionIds.SortKey(e.k, e.id), StringComparer.Ordinal)
            .ToList();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SortKey_LongestKey_FitsATableRowKey()
    {
        var key = new string('é', 512);

        var sortKey = VersionIds.SortKey(key, VersionIds.New(T0));

        Assert.True(sortKey.Length <= 512, $"{sortKey.Length} units");
        Assert.True(string.CompareOrdinal(sortKey, VersionIds.RangeOf(key).To) < 0);
    }

    [Fact]
    public void NewerThan_IdOfALaggingClock_BecomesNewerThanTheSuperseded()
    {
        var superseded = VersionIds.New(T0);
        var lagging = VersionIds.New(T0.AddSeconds(-5));

        var adjusted = VersionIds.NewerThan(lagging, superseded);

        Assert.True(string.CompareOrdinal(adjusted, superseded) < 0);
        Assert.True(VersionIds.IsWellFormed(adjusted));
        Assert.Equal(adjusted, VersionIds.NewerThan(adjusted, superseded));
    }

    [Fact]
    public void ForLegacy_SameRecord_SameId()
    {
        var record = new ObjectRecord { Bucket = "b", Key = "k", BlobName = "blob-1", Size = 1, ETag = "\"e\"", LastModified = T0 };

        Assert.Equal(VersionIds.ForLegacy(record), VersionIds.ForLegacy(record with { Size = 2 }));
        Assert.NotEqual(VersionIds.ForLegacy(record), VersionIds.ForLegacy(record with { BlobName = "blob-2" }));
    }
}
