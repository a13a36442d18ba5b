using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using R2Meta.S3.Routing;

namespace R2Meta.Unit.Tests.Routing;

public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("/b/k?x=1", "/b/k", "x=1")]
    [InlineData("/b/k", "/b/k", "")]
    [InlineData("http://evil.example/other/k?uploads", "/other/k", "uploads")]
    [InlineData("https://host:9000/b/a%20b", "/b/a%20b", "")]
    [InlineData("http://host", "/", "")]
    [InlineData("http://host?list-type=2", "/", "list-type=2")]
    public void Of_RawTarget_SplitsPathAndQueryOnce(string raw, string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = raw;
        Assert.Equal(new RequestTarget(path, query), RequestTarget.Of(context.Request));
    }
}
