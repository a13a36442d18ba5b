using System.Xml.Linq;
using R2Meta.Domain.Storage;
using R2Meta.S3.Requests;
using R2Meta.Unit.Tests.Auth;

namespace R2Meta.Unit.Tests.Requests;

public sealed class TagSetsTests
{
    [Fact]
    public void ParseXml_TagSet_TagsOrderedByKey()
    {
        var tags = TagSets.ParseXml(Tagging(("b", "2"), ("a", ""), ("B", "x y")), TagSets.MaxObjectTags);

        Assert.Equal([new Tag("B", "x y"), new Tag("a", ""), new Tag("b", "2")], tags);
    }

    [Fact]
    public void ParseXml_EmptyTagSet_NoTags() =>
        Assert.Empty(TagSets.ParseXml(XElement.Parse("<Tagging><TagSet/></Tagging>"), TagSets.MaxObjectTags));

    [Fact]
    public void ParseXml_WithS3Namespace_Parses() =>
        Assert.Single(TagSets.ParseXml(XElement.Parse("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>"), TagSets.MaxObjectTags));

    [Theory]
    [InlineData("<Tags><TagSet/></Tags>")]
    [InlineData("<Tagging/>")]
    [InlineData("<Tagging><TagSet/><TagSet/></Tagging>")]
    [InlineData("<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging><TagSet><Tag><Key>k</Key><Key>j</Key><Value>v</Value></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging><TagSet><Other/></TagSet></Tagging>")]
    public void ParseXml_NotATaggingDocument_MalformedXML(string xml)
    {
        var error = TestRequests.Error(() => TagSets.ParseXml(XElement.Parse(xml), TagSets.MaxObjectTags));

        Assert.Equal(400, error.Status);
        Assert.Equal("MalformedXML", error.Code);
    }

    [Fact]
    public void ParseXml_LongestKeysAndValues_Accepted()
    {
        // 128 and 256 Unicode characters, some outside the BMP (two UTF-16 units, one character).
        var key = new string('k', 127) + "\U0001D400";
        var value = string.Concat(Enumerable.Repeat("\U00020000", 256));

        var tags = TagSets.ParseXml(Tagging((key, value)), TagSets.MaxObjectTags);

        Assert.Equal(value, Assert.Single(tags).Value);
    }

    [Theory]
    [InlineData("", "v", "The TagKey you have provided is invalid")]
    [InlineData("k<", "v", "The TagKey you have provided is invalid")]
    [InlineData("k", "v*", "The TagValue you have provided is invalid")]
    [InlineData("k", "v\t", "The TagValue you have provided is invalid")]
    [InlineData("aws:k", "v", "Your TagKey cannot be prefixed with aws:")]
    [InlineData("AWS:k", "v", "Your TagKey cannot be prefixed with aws:")]
    public void ParseXml_InvalidTag_InvalidTag(string key, string value, string message)
    {
        var error = TestRequests.Error(() => TagSets.ParseXml(Tagging((key, value)), TagSets.MaxObjectTags));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidTag", error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ParseXml_KeyTooLong_InvalidTag() =>
        Assert.Equal("InvalidTag", TestRequests.Error(() => TagSets.ParseXml(Tagging((new string('k', 129), "v")), TagSets.MaxObjectTags)).Code);

    [Fact]
    public void ParseXml_ValueTooLong_InvalidTag() =>
        Assert.Equal("InvalidTag", TestRequests.Error(() => TagSets.ParseXml(Tagging(("k", new string('v', 257))), TagSets.MaxObjectTags)).Code);

    [Fact]
    public void ParseXml_AllowedPunctuationAndUnicode_Accepted() =>
        Assert.Single(TagSets.ParseXml(Tagging(("a+b-c=d.e_f:g/h@i j", "Größe 10 ½")), TagSets.MaxObjectTags));

    [Fact]
    public void ParseXml_DuplicateKey_InvalidTag()
    {
        var error = TestRequests.Error(() => TagSets.ParseXml(Tagging(("k", "1"), ("k", "2")), TagSets.MaxObjectTags));

        Assert.Equal("InvalidTag", error.Code);
        Assert.Equal("Cannot provide multiple Tags with the same key", error.Message);
    }

    [Fact]
    public void ParseXml_ElevenObjectTags_BadRequest()
    {
        var error = TestRequests.Error(() => TagSets.ParseXml(Tagging(Numbered(11)), TagSets.MaxObjectTags));

        Assert.Equal(400, error.Status);
        Assert.Equal("BadRequest", error.Code);
        Assert.Equal("Object tags cannot be greater than 10", error.Message);
    }

    [Fact]
    public void ParseXml_TenObjectTags_Accepted() =>
        Assert.Equal(10, TagSets.ParseXml(Tagging(Numbered(10)), TagSets.MaxObjectTags).Count);

    [Fact]
    public void ParseXml_FiftyOneBucketTags_BadRequest()
    {
        Assert.Equal(50, TagSets.ParseXml(Tagging(Numbered(50)), TagSets.MaxBucketTags).Count);
        var error = TestRequests.Error(() => TagSets.ParseXml(Tagging(Numbered(51)), TagSets.MaxBucketTags));

        Assert.Equal("BadRequest", error.Code);
        Assert.Equal("Bucket tag count cannot be greater than 50", error.Message);
    }

    [Fact]
    public void ParseXml_InvalidTagBeyondTheCount_InvalidTagFirst() =>
        Assert.Equal("InvalidTag", TestRequests.Error(() => TagSets.ParseXml(Tagging([.. Numbered(11), ("bad*", "v")]), TagSets.MaxObjectTags)).Code);

    [Fact]
    public void ParseHeader_Absent_Null() => Assert.Null(TagSets.ParseHeader(null));

    [Fact]
    public void ParseHeader_Empty_NoTags() => Assert.Empty(TagSets.ParseHeader("")!);

    [Fact]
    public void ParseHeader_QueryString_DecodedTags()
    {
        var tags = TagSets.ParseHeader("foo=bar&bar&k%20y=a+b%2Bc&empty=&%C3%A9=%C3%BC");

        Assert.Equal([new Tag("bar", ""), new Tag("empty", ""), new Tag("foo", "bar"), new Tag("k y", "a b+c"), new Tag("é", "ü")], tags);
    }

    [Theory]
    [InlineData("a=1&a=2")]
    [InlineData("a=%ZZ")]
    [InlineData("a=%FF")]
    public void ParseHeader_NotDistinctUtf8QueryParameters_InvalidArgument(string header)
    {
        var error = TestRequests.Error(() => TagSets.ParseHeader(header));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidArgument", error.Code);
        Assert.Equal("x-amz-tagging", error.Details!["ArgumentName"]);
    }

    [Fact]
    public void ParseHeader_ElevenTags_BadRequest() =>
        Assert.Equal("BadRequest", TestRequests.Error(() => TagSets.ParseHeader(string.Join('&', Enumerable.Range(0, 11).Select(i => $"k{i}=v")))).Code);

    [Theory]
    [InlineData("k=v%2A")]
    [InlineData("aws%3Ak=v")]
    public void ParseHeader_InvalidTag_InvalidTag(string header) =>
        Assert.Equal("InvalidTag", TestRequests.Error(() => TagSets.ParseHeader(header)).Code);

    [Fact]
    public void ToXml_RoundTrips()
    {
        Tag[] tags = [new("a", "1"), new("b", "")];

        Assert.Equal(tags, TagSets.ParseXml(TagSets.ToXml(tags), TagSets.MaxObjectTags));
    }

    [Fact]
    public void Count_NoTags_NoHeader()
    {
        Assert.Null(TagSets.Count(null));
        Assert.Null(TagSets.Count([]));
        Assert.Equal("2", TagSets.Count([new("a", "1"), new("b", "2")]));
    }

    private static (string Key, string Value)[] Numbered(int count) => [.. Enumerable.Range(0, count).Select(i => ($"k{i}", "v"))];

    private static XElement Tagging(params (string Key, string Value)[] tags) =>
        new("Tagging", new XElement("TagSet", tags.Select(t => new XElement("Tag", new XElement("Key", t.Key), new XElement("Value", t.Value)))));
}
