using R2Meta.Domain.Storage;
using R2Meta.S3.Requests;
using R2Meta.Unit.Tests.Auth;

namespace R2Meta.Unit.Tests.Requests;

public sealed class ObjectAttributesTests
{
    [Theory]
    [InlineData("ETag", ObjectAttribute.ETag)]
    [InlineData("ETag,Checksum", ObjectAttribute.ETag | ObjectAttribute.Checksum)]
    [InlineData(" ObjectParts , StorageClass ,ObjectSize ", ObjectAttribute.ObjectParts | ObjectAttribute.StorageClass | ObjectAttribute.ObjectSize)]
    [InlineData("ETag,,ETag", ObjectAttribute.ETag)]
    public void Parse_KnownNames_AreTheirFlags(string header, ObjectAttribute expected) =>
        Assert.Equal(expected, ObjectAttributes.Parse([header]));

    [Fact]
    public void Parse_SeveralHeaders_CombineTheirLists() =>
        Assert.Equal(ObjectAttribute.ETag | ObjectAttribute.ObjectSize, ObjectAttributes.Parse(["ETag", "ObjectSize"]));

    [Theory]
    [InlineData("Size")]
    [InlineData("etag")]
    [InlineData("ETag,Parts")]
    public void Parse_UnknownName_InvalidArgument(string header)
    {
        var error = TestRequests.Error(() => ObjectAttributes.Parse([header]));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidArgument", error.Code);
        Assert.Equal("Invalid attribute name specified.", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void Parse_NoName_InvalidArgument(string? header)
    {
        var error = TestRequests.Error(() => ObjectAttributes.Parse(header is null ? [] : [header]));

        Assert.Equal("InvalidArgument", error.Code);
        Assert.Equal("Invalid attribute name specified.", error.Message);
    }

    [Theory]
    [InlineData(null, 1000)]
    [InlineData("5", 5)]
    [InlineData("0", 0)]
    [InlineData("5000", 1000)]
    public void ParseMaxParts_DefaultsAndCapsAt1000(string? value, int expected) =>
        Assert.Equal(expected, ObjectAttributes.ParseMaxParts(value));

    [Theory]
    [InlineData(null, 0)]
    [InlineData("7", 7)]
    public void ParsePartNumberMarker_DefaultsToZero(string? value, int expected) =>
        Assert.Equal(expected, ObjectAttributes.ParsePartNumberMarker(value));

    [Theory]
    [InlineData("-1")]
    [InlineData("two")]
    [InlineData("99999999999")]
    public void ParseMaxPartsAndMarker_NotANonNegativeInteger_InvalidArgument(string value)
    {
        Assert.Equal("InvalidArgument", TestRequests.Error(() => ObjectAttributes.ParsePartNumberMarker(value)).Code);
        Assert.Equal("InvalidArgument", TestRequests.Error(() => ObjectAttributes.ParseMaxParts(value)).Code);
    }

    [Fact]
    public void PageOfParts_FirstPage_NumbersFromOneAndTruncated()
    {
        var (parts, truncated) = ObjectAttributes.PageOfParts(Multipart(5), marker: 0, maxParts: 2);

        Assert.Equal([(1, 101L, "c1"), (2, 102L, "c2")], parts);
        Assert.True(truncated);
    }

    [Fact]
    public void PageOfParts_AfterMarker_ReturnsTheRestNotTruncated()
    {
        var (parts, truncated) = ObjectAttributes.PageOfParts(Multipart(5), marker: 3, maxParts: 2);

        Assert.Equal([(4, 104L, "c4"), (5, 105L, "c5")], parts);
        Assert.False(truncated);
    }

    [Fact]
    public void PageOfParts_MarkerAtOrPastTheEnd_IsEmpty()
    {
        Assert.Empty(ObjectAttributes.PageOfParts(Multipart(5), marker: 5, maxParts: 10).Parts);
        Assert.Empty(ObjectAttributes.PageOfParts(Multipart(5), marker: 9000, maxParts: 10).Parts);
    }

    [Fact]
    public void PageOfParts_WithoutPartChecksums_IsEmpty() =>
        Assert.Empty(ObjectAttributes.PageOfParts(Multipart(3) with { PartChecksums = null }, 0, 10).Parts);

    [Theory]
    [InlineData("AAAAAA==-3", "AAAAAA==")]
    [InlineData("AAAAAA==", "AAAAAA==")]
    public void WithoutPartCount_DropsTheCompositeSuffix(string stored, string expected) =>
        Assert.Equal(expected, ObjectAttributes.WithoutPartCount(stored));

    private static ObjectRecord Multipart(int parts) => new()
    {
        Bucket = "b",
        Key = "k",
        BlobName = "blob",
        Size = Enumerable.Range(1, parts).Sum(i => 100L + i),
        ETag = "\"e-" + parts + "\"",
        LastModified = DateTimeOffset.UnixEpoch,
        PartsCount = parts,
        PartSizes = [.. Enumerable.Range(1, parts).Select(i => 100L + i)],
        PartChecksums = [.. Enumerable.Range(1, parts).Select(i => "c" + i)],
    };
}
