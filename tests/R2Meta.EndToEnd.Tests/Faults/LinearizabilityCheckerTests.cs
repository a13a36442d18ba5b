namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>The checker on hand-written histories: it accepts linearizable ones and rejects each kind of anomaly.</summary>
public sealed class LinearizabilityCheckerTests
{
    private const long Unknown = long.MaxValue;

    private static Op Put(string value, long invoked, long completed, string key = "k") => new(0, OpKind.Put, key, value, invoked, completed);

    private static Op Delete(long invoked, long completed, string key = "k") => new(0, OpKind.Delete, key, null, invoked, completed);

    private static Op Get(string? value, long invoked, long completed, string key = "k") => new(1, OpKind.Get, key, value, invoked, completed);

    private static ListOp List(long invoked, long completed, params string[] keys) => new(2, keys.ToHashSet(), invoked, completed);

    [Fact]
    public void Check_SequentialReadsOfLatestWrites_Passes()
    {
        Op[] ops = [Get(null, 0, 1), Put("a", 2, 3), Get("a", 4, 5), Put("b", 6, 7), Get("b", 8, 9), Delete(10, 11), Get(null, 12, 13)];
        Assert.Empty(LinearizabilityChecker.Check(ops, [List(3, 4, "k"), List(12, 13)]));
    }

    [Fact]
    public void Check_ReadsConcurrentWithAWrite_MaySeeEitherValue()
    {
        Op[] ops = [Put("a", 0, 1), Put("b", 2, 10), Get("a", 3, 4), Get("b", 5, 6), Delete(11, 20), Get("b", 12, 13), Get(null, 14, 15)];
        Assert.Empty(LinearizabilityChecker.Check(ops, [List(15, 16, "k"), List(17, 18)]));
    }

    [Fact]
    public void Check_WriteWithUnknownOutcome_MayAppearLateOrNever()
    {
        Op[] ops = [Put("a", 0, 1), Put("b", 2, Unknown), Get("a", 5, 6), Get("b", 7, 8)];
        Assert.Empty(LinearizabilityChecker.Check(ops, []));
    }

    [Fact]
    public void Check_StaleReadAfterACompletedOverwrite_Fails()
    {
        Op[] ops = [Put("a", 0, 1), Put("b", 2, 3), Get("a", 4, 5)];
        var violation = Assert.Single(LinearizabilityChecker.Check(ops, []));
        Assert.Equal("k", violation.Key);
    }

    [Fact]
    public void Check_ReadOfAbsentAfterACompletedPut_Fails()
    {
        Assert.Single(LinearizabilityChecker.Check([Put("a", 0, 1), Get(null, 2, 3)], []));
    }

    [Fact]
    public void Check_ReadOfADeletedValue_Fails()
    {
        Assert.Single(LinearizabilityChecker.Check([Put("a", 0, 1), Delete(2, 3), Get("a", 4, 5)], []));
    }

    [Fact]
    public void Check_ReadOfAValueBeforeItsWriteBegan_Fails()
    {
        Assert.Single(LinearizabilityChecker.Check([Get("a", 0, 1), Put("a", 2, 3)], []));
    }

    [Fact]
    public void Check_ReadOfAValueNeverWritten_Fails()
    {
        Assert.Single(LinearizabilityChecker.Check([Put("a", 0, 1), Get("z", 2, 3)], []));
    }

    [Fact]
    public void Check_ListMissingACommittedKey_Fails()
    {
        var violation = Assert.Single(LinearizabilityChecker.Check([Put("a", 0, 1, "x"), Put("b", 0, 1, "y")], [List(2, 3, "x")]));
        Assert.Equal("y", violation.Key);
    }

    [Fact]
    public void Check_ListShowingADeletedKey_Fails()
    {
        Assert.Single(LinearizabilityChecker.Check([Put("a", 0, 1), Delete(2, 3)], [List(4, 5, "k")]));
    }

    [Fact]
    public void Check_ListShowingAKeyNeverWritten_Fails()
    {
        Assert.Single(LinearizabilityChecker.Check([], [List(4, 5, "ghost")]));
    }
}
