using R2Meta.S3.Routing;

namespace R2Meta.Unit.Tests.Routing;

/// <summary>One parse of the query serves routing, SigV4 and handlers; it must read values as ASP.NET Core did.</summary>
public sealed class QueryParametersTests
{
    [Theory]
    [InlineData("prefix=a%2Fb", "prefix", "a/b")]
    [InlineData("?prefix=a+b", "prefix", "a b")]
    [InlineData("prefix=a%20b%2B", "prefix", "a b+")]
    [InlineData("uploads", "uploads", "")]
    [InlineData("uploads=", "uploads", "")]
    [InlineData("k=%E2%82%AC", "k", "€")]
    [InlineData("k=%zz", "k", "%zz")]
    [InlineData("k=%FF", "k", "\uFFFD")]
    [InlineData("a=1&k=x&k=y", "k", "x,y")]
    [InlineData("k%5B%5D=v", "k[]", "v")]
    [InlineData("&&k=v&&", "k", "v")]
    public void Parse_DecodesAsFormUrlEncoded(string raw, string name, string expected)
    {
        var query = QueryParameters.Parse(raw);
        Assert.True(query.Contains(name));
        Assert.Equal(expected, query.Get(name));
    }

    [Fact]
    public void Parse_Empty_HasNoParameters()
    {
        Assert.Empty(QueryParameters.Parse(string.Empty));
        Assert.Null(QueryParameters.Parse("?").Get("x"));
    }

    [Fact]
    public void Target_ParsesItsQueryOnce_AndComparesByText()
    {
        var target = new RequestTarget("/b", "list-type=2&prefix=p");
        Assert.Same(target.Parameters, target.Parameters);
        Assert.Equal("p", target.Parameters.Get("prefix"));
        Assert.Equal(new RequestTarget("/b", "list-type=2&prefix=p"), target);
    }
}
