using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Lifecycle;

public sealed class LifecycleRulesTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private static ObjectRecord Object(string key, long size = 100, params Tag[] tags) => new()
    {
        Bucket = "b", Key = key, BlobName = "b/x", Size = size, ETag = "\"e\"", LastModified = Created, Tags = tags.Length > 0 ? tags : null,
    };

    [Theory]
    [InlineData("logs/a", 100, true)]
    [InlineData("other/a", 100, false)]
    [InlineData("logs/a", 10, false)]
    [InlineData("logs/a", 1000, false)]
    public void Matches_PrefixAndSizes_AllMustHold(string key, long size, bool expected)
    {
        var filter = new LifecycleFilter { Prefix = "logs/", SizeGreaterThan = 10, SizeLessThan = 1000 };
        Assert.Equal(expected, LifecycleRules.Matches(filter, Object(key, size)));
    }

    [Fact]
    public void Matches_Tags_EveryTagOfTheFilterOnTheObject()
    {
        var filter = new LifecycleFilter { Tags = [new Tag("a", "1"), new Tag("b", "2")] };
        Assert.True(LifecycleRules.Matches(filter, Object("k", 1, new Tag("b", "2"), new Tag("a", "1"), new Tag("c", "3"))));
        Assert.False(LifecycleRules.Matches(filter, Object("k", 1, new Tag("a", "1"))));
        Assert.False(LifecycleRules.Matches(filter, Object("k", 1, new Tag("a", "1"), new Tag("b", "3"))));
        Assert.False(LifecycleRules.Matches(filter, Object("k")));
    }

    [Fact]
    public void After_RoundsUpToTheNextMidnightUtc()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 19, 0, 0, 0, TimeSpan.Zero), LifecycleRules.After(Created, 3));
        var midnight = new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 0, 0, 0, TimeSpan.Zero), LifecycleRules.After(midnight, 1));
    }

    [Fact]
    public void ExpiryOf_EarliestEnabledMatchingRule()
    {
        LifecycleRule[] rules =
        [
            new() { Id = "late", Enabled = true, ExpirationDays = 10 },
            new() { Id = "disabled", Enabled = false, ExpirationDays = 1 },
            new() { Id = "other-prefix", Enabled = true, ExpirationDays = 1, Filter = new LifecycleFilter { Prefix = "x/" } },
            new() { Id = "soon", Enabled = true, ExpirationDays = 2 },
            new() { Id = "noncurrent", Enabled = true, NoncurrentDays = 1 },
        ];
        var expiry = LifecycleRules.ExpiryOf(rules, Object("k"));
        Assert.Equal(new LifecycleRules.Expiry(new DateTimeOffset(2026, 1, 18, 0, 0, 0, TimeSpan.Zero), "soon"), expiry);
        Assert.Null(LifecycleRules.ExpiryOf(rules[1..3], Object("k")));
        Assert.Null(LifecycleRules.ExpiryOf(null, Object("k")));
    }

    [Fact]
    public void ExpiresCurrent_ByDateOrDays_AtTheRoundedTime()
    {
        var byDays = new LifecycleRule { Id = "d", Enabled = true, ExpirationDays = 1 };
        Assert.False(LifecycleRules.ExpiresCurrent(byDays, Object("k"), new DateTimeOffset(2026, 1, 16, 23, 59, 59, TimeSpan.Zero)));
        Assert.True(LifecycleRules.ExpiresCurrent(byDays, Object("k"), new DateTimeOffset(2026, 1, 17, 0, 0, 0, TimeSpan.Zero)));
        var byDate = new LifecycleRule { Id = "t", Enabled = true, ExpirationDate = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) };
        Assert.False(LifecycleRules.ExpiresCurrent(byDate, Object("k"), new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero)));
        Assert.True(LifecycleRules.ExpiresCurrent(byDate, Object("k"), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
    }
}
