using R2Meta.Domain.Services;

namespace R2Meta.Unit.Tests.Services;

public sealed class ByteRangeTests
{
    [Theory]
    [InlineData("bytes=0-9", 100, 0, 10)]
    [InlineData("bytes=90-", 100, 90, 10)]
    [InlineData("bytes=-10", 100, 90, 10)]
    [InlineData("bytes=-1000", 100, 0, 100)]
    [InlineData("bytes=95-1000", 100, 95, 5)]
    [InlineData("bytes=0-0", 1, 0, 1)]
    public void Parse_Satisfiable(string header, long size, long offset, long length)
    {
        var range = ByteRange.Parse(header, size, out var unsatisfiable);
        Assert.False(unsatisfiable);
        Assert.Equal(new ByteRange(offset, length), range);
    }

    [Theory]
    [InlineData("bytes=100-", 100)]
    [InlineData("bytes=100-200", 100)]
    [InlineData("bytes=-0", 100)]
    [InlineData("bytes=0-", 0)]
    public void Parse_Unsatisfiable(string header, long size)
    {
        Assert.Null(ByteRange.Parse(header, size, out var unsatisfiable));
        Assert.True(unsatisfiable);
    }

    [Theory]
    [InlineData("")]
    [InlineData("items=0-1")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=0-1,5-6")]
    public void Parse_Malformed_IgnoredLikeS3(string header)
    {
        Assert.Null(ByteRange.Parse(header, 100, out var unsatisfiable));
        Assert.False(unsatisfiable);
    }
}
