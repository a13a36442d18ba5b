using R2Meta.Domain.Cors;

namespace R2Meta.Unit.Tests.Cors;

public sealed class CorsMatcherTests
{
    private static CorsRule Rule(string origin, string methods, string headers = "", string? id = null) => new()
    {
        Id = id,
        AllowedOrigins = [origin],
        AllowedMethods = methods.Split(','),
        AllowedHeaders = headers.Length == 0 ? [] : headers.Split(','),
    };

    [Theory]
    [InlineData("*", "https://anything.example", true)]
    [InlineData("https://*.example.com", "https://app.example.com", true)]
    [InlineData("https://*.example.com", "https://a.b.example.com", true)]
    [InlineData("https://*.example.com", "https://example.com", false)]
    [InlineData("https://*.example.com", "http://app.example.com", false)]
    [InlineData("http://localhost:*", "http://localhost:5173", true)]
    [InlineData("https://exact.example", "https://exact.example", true)]
    [InlineData("https://exact.example", "https://exact.example.evil", false)]
    [InlineData("https://Exact.example", "https://exact.example", false)]
    public void Match_Origin_OneWildcardStandsForAnyRun(string allowed, string origin, bool matches)
    {
        var rule = CorsMatcher.Match([Rule(allowed, "GET")], origin, "GET", []);
        Assert.Equal(matches, rule is not null);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", false)]
    [InlineData("get", false)]
    public void Match_Method_MustBeListed(string method, bool matches)
    {
        Assert.Equal(matches, CorsMatcher.Match([Rule("*", "GET,PUT")], "https://a", method, []) is not null);
    }

    [Theory]
    [InlineData("content-type", "", false)]
    [InlineData("content-type", "Content-Type", true)]
    [InlineData("CONTENT-TYPE,x-amz-date", "content-type,x-amz-date", true)]
    [InlineData("content-type,x-amz-date", "content-type", false)]
    [InlineData("x-amz-date,x-amz-content-sha256,x-amz-user-agent", "x-amz-*", true)]
    [InlineData("x-amz-date,authorization", "x-amz-*", false)]
    [InlineData("authorization,x-amz-date", "*", true)]
    public void Match_EveryRequestedHeader_MustMatchAnAllowedHeader(string requested, string allowed, bool matches)
    {
        var rule = CorsMatcher.Match([Rule("*", "PUT", allowed)], "https://a", "PUT", requested.Split(','));
        Assert.Equal(matches, rule is not null);
    }

    [Fact]
    public void Match_NoHeadersRequested_NeedsNoAllowedHeaders()
    {
        Assert.NotNull(CorsMatcher.Match([Rule("*", "GET")], "https://a", "GET", []));
    }

    [Fact]
    public void Match_SeveralRules_FirstMatchingRuleWins()
    {
        CorsRule[] rules =
        [
            Rule("https://a.example", "GET", id: "a-only"),
            Rule("*", "PUT", id: "any-put"),
            Rule("*", "GET,PUT", id: "any-get"),
            Rule("https://a.example", "PUT", id: "a-put-never-reached"),
        ];
        Assert.Equal("a-only", CorsMatcher.Match(rules, "https://a.example", "GET", [])?.Id);
        Assert.Equal("any-get", CorsMatcher.Match(rules, "https://b.example", "GET", [])?.Id);
        Assert.Equal("any-put", CorsMatcher.Match(rules, "https://a.example", "PUT", [])?.Id);
        Assert.Null(CorsMatcher.Match(rules, "https://a.example", "DELETE", []));
    }

    [Fact]
    public void Match_RuleFailingOnHeaders_FallsToTheNextRule()
    {
        CorsRule[] rules = [Rule("*", "PUT", "content-type", id: "narrow"), Rule("*", "PUT", "*", id: "wide")];
        Assert.Equal("wide", CorsMatcher.Match(rules, "https://a", "PUT", ["x-amz-meta-a"])?.Id);
        Assert.Equal("narrow", CorsMatcher.Match(rules, "https://a", "PUT", ["content-type"])?.Id);
    }

    [Fact]
    public void Match_NoConfiguration_Null()
    {
        Assert.Null(CorsMatcher.Match(null, "https://a", "GET", []));
    }
}
