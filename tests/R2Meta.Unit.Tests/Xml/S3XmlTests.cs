using System.Text;
using Microsoft.AspNetCore.Http;
using R2Meta.S3.Xml;

namespace R2Meta.Unit.Tests.Xml;

public sealed class S3XmlTests
{
    [Fact]
    public async Task WriteAsync_ControlCharacterInName_WrittenAsCharacterReference()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await S3Xml.WriteAsync(context.Response, S3Xml.E("Key", "a\u0001b"));

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Contains(">a&#x1;b</Key>", text, StringComparison.Ordinal);
        Assert.Equal("application/xml", context.Response.ContentType);
    }
}
