using System.Net;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Buckets;

/// <summary>Malformed requests get the right 4xx S3 error document, never a 500.</summary>
public sealed class BadInputTests(TablesHost host) : IClassFixture<TablesHost>
{
    [Fact]
    public async Task Anonymous_AccessDenied()
    {
        var response = await RawRequests.SendAsync(new HttpRequestMessage(HttpMethod.Get, host.Endpoint));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("AccessDenied", await RawRequests.ErrorCodeAsync(response));
        Assert.True(response.Headers.Contains("x-amz-request-id"));
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 garbage")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDFIRSTACCOUNT/20250101/us-east-1/s3/aws4_request")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDFIRSTACCOUNT, SignedHeaders=host, Signature=00")]
    public async Task MalformedAuthorization_Is4xxS3Error(string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, host.Endpoint);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("x-amz-date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        var response = await RawRequests.SendAsync(request);
        Assert.InRange((int)response.StatusCode, 400, 403);
        Assert.NotNull(await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task UnknownAlgorithm_Is400()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, host.Endpoint);
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA512 Credential=AKIDFIRSTACCOUNT/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00");
        var response = await RawRequests.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task MissingDate_AccessDenied()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, host.Endpoint);
        RawRequests.Sign(request, TestAccounts.FirstKey, TestAccounts.FirstSecret, DateTimeOffset.UtcNow);
        request.Headers.Remove("x-amz-date");
        var response = await RawRequests.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("AccessDenied", await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task MalformedDate_Is403()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, host.Endpoint);
        RawRequests.Sign(request, TestAccounts.FirstKey, TestAccounts.FirstSecret, DateTimeOffset.UtcNow);
        request.Headers.Remove("x-amz-date");
        request.Headers.TryAddWithoutValidation("x-amz-date", "yesterday");
        var response = await RawRequests.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotNull(await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ClockSkew_RequestTimeTooSkewed()
    {
        var response = await RawRequests.SendSignedAsync(host, HttpMethod.Get, "/", now: DateTimeOffset.UtcNow.AddMinutes(-20));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("RequestTimeTooSkewed", await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task HugeHeader_RequestHeaderSectionTooLarge()
    {
        var response = await RawRequests.SendSignedAsync(host, HttpMethod.Get, "/", headers: new Dictionary<string, string> { ["x-amz-meta-big"] = new string('a', 100 * 1024) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("RequestHeaderSectionTooLarge", await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Options_WithoutOrigin_400_WithOrigin_403()
    {
        var plain = await RawRequests.SendAsync(new HttpRequestMessage(HttpMethod.Options, new Uri(host.Endpoint, "/some-bucket/key")));
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(host.Endpoint, "/some-bucket/key"));
        preflight.Headers.TryAddWithoutValidation("Origin", "https://example.com");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
        var cors = await RawRequests.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.Forbidden, cors.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/some-bucket?policy")]
    [InlineData("PUT", "/some-bucket/key?retention")]
    [InlineData("GET", "/some-bucket?website")]
    public async Task UnknownSubresource_NotImplemented(string method, string path)
    {
        var response = await RawRequests.SendSignedAsync(host, new HttpMethod(method), path);
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("NotImplemented", await RawRequests.ErrorCodeAsync(response));
    }
}
