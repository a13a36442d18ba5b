using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Services;

/// <summary>The bytes a GET asks for are chosen in the domain and fail as outcomes, never as protocol exceptions.</summary>
public sealed class ReadSelectionTests
{
    private static readonly ObjectRecord TwoParts = Record(size: 15, parts: [10, 5]);

    [Fact]
    public void Whole_IsNoRange()
    {
        Assert.Null(ReadSelection.Whole.For(TwoParts).Value);
    }

    [Fact]
    public void Range_WithinObject_IsThatRange()
    {
        Assert.Equal(new ByteRange(2, 4), new ReadSelection("bytes=2-5", null).For(TwoParts).Value);
    }

    [Fact]
    public void Range_BeyondObject_InvalidRangeWithFacts()
    {
        var outcome = new ReadSelection("bytes=20-30", null).For(TwoParts);
        Assert.Equal(Failure.InvalidRange, outcome.Error!.Failure);
        Assert.Contains(new KeyValuePair<string, string>("ActualObjectSize", "15"), outcome.Error.Facts);
        Assert.Contains(new KeyValuePair<string, string>("RangeRequested", "bytes=20-30"), outcome.Error.Facts);
    }

    [Fact]
    public void PartNumber_SecondPart_StartsAfterTheFirst()
    {
        Assert.Equal(new ByteRange(10, 5), new ReadSelection(null, 2).For(TwoParts).Value);
    }

    [Fact]
    public void PartNumber_BeyondLastPart_InvalidPartNumberWithFacts()
    {
        var outcome = new ReadSelection(null, 3).For(TwoParts);
        Assert.Equal(Failure.InvalidPartNumber, outcome.Error!.Failure);
        Assert.Contains(new KeyValuePair<string, string>("ActualPartCount", "2"), outcome.Error.Facts);
    }

    [Fact]
    public void PartNumber_OneOfASinglePut_IsTheWholeObjectAsARange()
    {
        Assert.Equal(new ByteRange(0, 7), new ReadSelection(null, 1).For(Record(size: 7, parts: null)).Value);
        Assert.Null(new ReadSelection(null, 1).For(Record(size: 0, parts: null)).Value);
    }

    private static ObjectRecord Record(long size, long[]? parts) => new()
    {
        Bucket = "b",
        Key = "k",
        BlobName = "blob",
        Size = size,
        ETag = "\"e\"",
        LastModified = DateTimeOffset.UnixEpoch,
        PartsCount = parts?.Length,
        PartSizes = parts,
    };
}
