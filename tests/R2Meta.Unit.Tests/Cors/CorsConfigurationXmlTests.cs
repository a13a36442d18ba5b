using System.Xml.Linq;
using R2Meta.S3.Cors;
using R2Meta.S3.Protocol;

namespace R2Meta.Unit.Tests.Cors;

public sealed class CorsConfigurationXmlTests
{
    private const string Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static XElement Config(params string[] rules) =>
        XElement.Parse($"<CORSConfiguration xmlns=\"{Ns}\">{string.Concat(rules)}</CORSConfiguration>");

    private static string Rule(string inner) => $"<CORSRule>{inner}</CORSRule>";

    private static S3Error Refusal(XElement root) => Assert.Throws<S3Exception>(() => CorsConfigurationXml.Parse(root)).Error;

    [Fact]
    public void Parse_FullRule_RoundTripsThroughWrite()
    {
        var root = Config(Rule("<ID>r1</ID><AllowedHeader>*</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>"
            + "<AllowedOrigin>https://*.example.com</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds>"));
        var rules = CorsConfigurationXml.Parse(root);
        var rule = Assert.Single(rules);
        Assert.Equal("r1", rule.Id);
        Assert.Equal(["GET", "PUT"], rule.AllowedMethods);
        Assert.Equal(["https://*.example.com"], rule.AllowedOrigins);
        Assert.Equal(["ETag"], rule.ExposeHeaders);
        Assert.Equal(3000, rule.MaxAgeSeconds);
        Assert.Equal(rules, CorsConfigurationXml.Parse(CorsConfigurationXml.Write(rules)), new RuleComparer());
    }

    [Fact]
    public void Parse_OneHundredRules_Accepted_OneHundredAndOne_MalformedXML()
    {
        var rule = Rule("<AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin>");
        Assert.Equal(100, CorsConfigurationXml.Parse(Config(Enumerable.Repeat(rule, 100).ToArray())).Count);
        Assert.Equal("MalformedXML", Refusal(Config(Enumerable.Repeat(rule, 101).ToArray())).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>")]
    [InlineData("<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>")]
    [InlineData("<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><Bogus/></CORSRule>")]
    [InlineData("<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule>")]
    public void Parse_MissingOrUnknownParts_MalformedXML(string rules)
    {
        Assert.Equal("MalformedXML", Refusal(Config(rules)).Code);
    }

    [Fact]
    public void Parse_OtherRootElement_MalformedXML()
    {
        Assert.Equal("MalformedXML", Refusal(XElement.Parse("<CorsConfiguration/>")).Code);
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    [InlineData("get")]
    public void Parse_UnsupportedMethod_InvalidRequest(string method)
    {
        var error = Refusal(Config(Rule($"<AllowedMethod>{method}</AllowedMethod><AllowedOrigin>*</AllowedOrigin>")));
        Assert.Equal(("InvalidRequest", 400), (error.Code, error.Status));
        Assert.Contains(method, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<AllowedOrigin>https://*.*.example</AllowedOrigin>")]
    [InlineData("<AllowedOrigin>*</AllowedOrigin><AllowedHeader>x-*-*</AllowedHeader>")]
    public void Parse_TwoWildcards_InvalidRequest(string parts)
    {
        Assert.Equal("InvalidRequest", Refusal(Config(Rule("<AllowedMethod>GET</AllowedMethod>" + parts))).Code);
    }

    [Fact]
    public void Parse_IdOver255_InvalidRequest()
    {
        var error = Refusal(Config(Rule($"<ID>{new string('i', 256)}</ID><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin>")));
        Assert.Equal("InvalidRequest", error.Code);
    }

    private sealed class RuleComparer : IEqualityComparer<R2Meta.Domain.Cors.CorsRule>
    {
        public bool Equals(R2Meta.Domain.Cors.CorsRule? x, R2Meta.Domain.Cors.CorsRule? y) =>
            x is not null && y is not null && x.Id == y.Id && x.MaxAgeSeconds == y.MaxAgeSeconds
            && x.AllowedOrigins.SequenceEqual(y.AllowedOrigins) && x.AllowedMethods.SequenceEqual(y.AllowedMethods)
            && x.AllowedHeaders.SequenceEqual(y.AllowedHeaders) && x.ExposeHeaders.SequenceEqual(y.ExposeHeaders);

        public int GetHashCode(R2Meta.Domain.Cors.CorsRule obj) => obj.AllowedOrigins.Count;
    }
}
