using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Services;

public sealed class ReadConditionsTests
{
    private static readonly DateTimeOffset Modified = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly ObjectRecord Record = new()
    {
        Bucket = "b",
        Key = "k",
        BlobName = "b/x",
        Size = 1,
        ETag = "\"abc\"",
        LastModified = Modified,
    };

    [Theory]
    [InlineData("\"abc\"", null, null, null, ConditionOutcome.Proceed)]
    [InlineData("abc", null, null, null, ConditionOutcome.Proceed)]
    [InlineData("*", null, null, null, ConditionOutcome.Proceed)]
    [InlineData("\"x\"", null, null, null, ConditionOutcome.PreconditionFailed)]
    [InlineData(null, "\"abc\"", null, null, ConditionOutcome.NotModified)]
    [InlineData(null, "\"x\", \"abc\"", null, null, ConditionOutcome.NotModified)]
    [InlineData(null, "\"x\"", null, null, ConditionOutcome.Proceed)]
    [InlineData(null, null, -1, null, ConditionOutcome.Proceed)]
    [InlineData(null, null, 0, null, ConditionOutcome.NotModified)]
    [InlineData(null, null, 1, null, ConditionOutcome.NotModified)]
    [InlineData(null, null, null, -1, ConditionOutcome.PreconditionFailed)]
    [InlineData(null, null, null, 0, ConditionOutcome.Proceed)]
    [InlineData("\"abc\"", null, null, -1, ConditionOutcome.Proceed)]
    [InlineData(null, "\"x\"", 1, null, ConditionOutcome.Proceed)]
    [InlineData("\"x\"", "\"abc\"", null, null, ConditionOutcome.PreconditionFailed)]
    public void Evaluate_FollowsS3Precedence(string? ifMatch, string? ifNoneMatch, int? modifiedSinceOffset, int? unmodifiedSinceOffset, ConditionOutcome expected)
    {
        var seconds = new DateTimeOffset(Modified.Year, Modified.Month, Modified.Day, Modified.Hour, Modified.Minute, Modified.Second, TimeSpan.Zero);
        var outcome = ReadConditions.Evaluate(
            Record,
            ifMatch,
            ifNoneMatch,
            modifiedSinceOffset is { } m ? seconds.AddSeconds(m) : null,
            unmodifiedSinceOffset is { } u ? seconds.AddSeconds(u) : null);
        Assert.Equal(expected, outcome);
    }
}
