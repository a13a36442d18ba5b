using R2Meta.S3.Protocol;
using R2Meta.S3.Routing;

namespace R2Meta.Unit.Tests.Routing;

public sealed class S3AddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9000", "/", null, null)]
    [InlineData("127.0.0.1:9000", "/bucket", "bucket", null)]
    [InlineData("127.0.0.1:9000", "/bucket/", "bucket", null)]
    [InlineData("127.0.0.1:9000", "/bucket/a/b/c", "bucket", "a/b/c")]
    [InlineData("127.0.0.1:9000", "/bucket/a%2Fb%20c", "bucket", "a/b c")]
    [InlineData("127.0.0.1:9000", "/bucket/%F0%9F%98%80", "bucket", "\U0001F600")]
    [InlineData("127.0.0.1:9000", "/bucket//double", "bucket", "/double")]
    [InlineData("my-bucket.localhost:9000", "/", "my-bucket", null)]
    [InlineData("my-bucket.localhost:9000", "/key/with/slashes", "my-bucket", "key/with/slashes")]
    [InlineData("my.dotted.bucket.localhost", "/k", "my.dotted.bucket", "k")]
    [InlineData("localhost:9000", "/bucket/k", "bucket", "k")]
    public void Parse_PathAndVirtualHosted(string host, string path, string? bucket, string? key)
    {
        var address = S3Address.Parse(host, path, "localhost");
        Assert.Equal(bucket, address.Bucket);
        Assert.Equal(key, address.Key);
    }

    [Theory]
    [InlineData("/bucket/%FF%FE")]
    [InlineData("/bucket/%C3")]
    [InlineData("/bucket/%G1")]
    [InlineData("/bucket/abc%")]
    [InlineData("/bucket/%C2%AE%C2%8A-")] // valid UTF-8 of a C1 control character (U+008A): S3 cannot parse it either
    [InlineData("/bucket/a%C2%9Fb")]
    public void Parse_InvalidEncodingOrUtf8_InvalidUri(string path)
    {
        var e = Assert.Throws<S3Exception>(() => S3Address.Parse("127.0.0.1", path, "localhost"));
        Assert.Equal("InvalidURI", e.Error.Code);
        Assert.Equal(400, e.Error.Status);
    }

    [Theory]
    [InlineData("/bucket/%C2%AE-%C2%A0")] // U+00AE and U+00A0 are printable: only U+0080 to U+009F are refused
    [InlineData("/bucket/%E2%82%AC")] // the euro sign, whose UTF-8 holds the byte 0x82
    public void Parse_NonAsciiOutsideC1_Accepted(string path) => Assert.NotNull(S3Address.Parse("127.0.0.1", path, "localhost").Key);
}
