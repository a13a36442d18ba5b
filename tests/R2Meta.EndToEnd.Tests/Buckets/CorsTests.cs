using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Buckets;

/// <summary>
/// Put/Get/DeleteBucketCors through AWSSDK.S3, and what the stored rules answer over the wire: preflights
/// (unsigned OPTIONS) and the Access-Control-* headers of actual requests, error answers included.
/// </summary>
public abstract class CorsTests : OneBucketTests
{
    private const string Page = "http://localhost:5173";

    protected CorsTests(R2MetaHost host)
        : base(host, "cors")
    {
    }

    [Fact]
    public async Task GetBucketCors_NoneSet_NoSuchCORSConfiguration()
    {
        var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}?cors");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NoSuchCORSConfiguration", await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task PutGetDeleteBucketCors_RoundTrip()
    {
        await PutRulesAsync();
        var read = await S3.GetCORSConfigurationAsync(new GetCORSConfigurationRequest { BucketName = Bucket });
        Assert.Equal(2, read.Configuration.Rules.Count);
        var first = read.Configuration.Rules[0];
        Assert.Equal("page", first.Id);
        Assert.Equal([Page, "https://*.example.com"], first.AllowedOrigins);
        Assert.Equal(["GET", "PUT", "HEAD"], first.AllowedMethods);
        Assert.Equal(["content-type", "x-amz-*"], first.AllowedHeaders);
        Assert.Equal(["ETag"], first.ExposeHeaders);
        Assert.Equal(600, first.MaxAgeSeconds);

        var deleted = await S3.DeleteCORSConfigurationAsync(new DeleteCORSConfigurationRequest { BucketName = Bucket });
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
        var after = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}?cors");
        Assert.Equal("NoSuchCORSConfiguration", await RawRequests.ErrorCodeAsync(after));
    }

    [Theory]
    [InlineData("<CORSRule><AllowedMethod>PATCH</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>", "InvalidRequest")]
    [InlineData("<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>http://*.*.x</AllowedOrigin></CORSRule>", "InvalidRequest")]
    [InlineData("<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>", "MalformedXML")]
    [InlineData("", "MalformedXML")]
    public async Task PutBucketCors_Invalid_RefusedAsS3(string rules, string code)
    {
        var body = $"<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{rules}</CORSConfiguration>";
        var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}?cors", new StringContent(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task PutBucketCors_OverTheSizeCap_Refused()
    {
        var rule = $"<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://{new string('a', 1000)}.example</AllowedOrigin></CORSRule>";
        var body = $"<CORSConfiguration>{string.Concat(Enumerable.Repeat(rule, 70))}</CORSConfiguration>";
        var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}?cors", new StringContent(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Preflight_MatchingRule_200WithItsHeaders()
    {
        await PutRulesAsync();
        var response = await PreflightAsync("/key", Page, "PUT", "Content-Type, X-Amz-Date");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Page, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, PUT, HEAD", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("content-type, x-amz-date", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
        Assert.Equal("ETag", Header(response, "Access-Control-Expose-Headers"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", Header(response, "Vary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_SecondRule_AnyOriginAnswersStar()
    {
        await PutRulesAsync();
        var response = await PreflightAsync("", "https://elsewhere.test", "GET", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("http://localhost:9999", "PUT", null)]
    [InlineData(Page, "DELETE", null)]
    [InlineData(Page, "PUT", "authorization")]
    public async Task Preflight_NoRuleMatches_403AccessForbidden(string origin, string method, string? headers)
    {
        await PutRulesAsync();
        var response = await PreflightAsync("/key", origin, method, headers);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("AccessForbidden", await RawRequests.ErrorCodeAsync(response));
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_NoConfigurationOrNoRequestMethod_Refused()
    {
        var none = await PreflightAsync("/key", Page, "GET", null);
        await PutRulesAsync();
        var noMethod = await PreflightAsync("/key", Page, null, null);

        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.Contains("CORS is not enabled", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noMethod.StatusCode);
    }

    [Fact]
    public async Task ActualRequest_WithOrigin_GetsTheRulesHeaders_OnErrorsToo()
    {
        await PutRulesAsync();
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "v" });
        var ok = await SignedWithOriginAsync(HttpMethod.Get, $"/{Bucket}/k", Page);
        var missing = await SignedWithOriginAsync(HttpMethod.Get, $"/{Bucket}/missing", Page);
        var refused = await SignedWithOriginAsync(HttpMethod.Delete, $"/{Bucket}/k", Page);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(Page, Header(ok, "Access-Control-Allow-Origin"));
        Assert.Equal("ETag", Header(ok, "Access-Control-Expose-Headers"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(Page, Header(missing, "Access-Control-Allow-Origin"));
        Assert.Equal("NoSuchKey", await RawRequests.ErrorCodeAsync(missing));
        Assert.Null(Header(refused, "Access-Control-Allow-Origin"));
        Assert.Contains("Origin", Header(refused, "Vary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_OtherAccountsBucket_AccessDenied()
    {
        using var other = S3Clients.PathStyle(Host, TestAccounts.SecondKey, TestAccounts.SecondSecret);
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetCORSConfigurationAsync(new GetCORSConfigurationRequest { BucketName = Bucket }));
        Assert.Equal("AccessDenied", e.ErrorCode);
    }

    private Task PutRulesAsync() => S3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
    {
        BucketName = Bucket,
        Configuration = new CORSConfiguration
        {
            Rules =
            [
                new CORSRule
                {
                    Id = "page",
                    AllowedOrigins = [Page, "https://*.example.com"],
                    AllowedMethods = ["GET", "PUT", "HEAD"],
                    AllowedHeaders = ["content-type", "x-amz-*"],
                    ExposeHeaders = ["ETag"],
                    MaxAgeSeconds = 600,
                },
                new CORSRule { AllowedOrigins = ["*"], AllowedMethods = ["GET"] },
            ],
        },
    });

    private Task<HttpResponseMessage> PreflightAsync(string keyPath, string origin, string? method, string? headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(Host.Endpoint, $"/{Bucket}{keyPath}"));
        request.Headers.TryAddWithoutValidation("Origin", origin);
        if (method is not null)
        {
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", method);
        }

        if (headers is not null)
        {
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", headers);
        }

        return RawRequests.SendAsync(request);
    }

    private Task<HttpResponseMessage> SignedWithOriginAsync(HttpMethod method, string path, string origin) =>
        RawRequests.SendSignedAsync(Host, method, path, headers: new Dictionary<string, string> { ["Origin"] = origin });

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}

public sealed class TablesCorsTests(TablesHost host) : CorsTests(host), IClassFixture<TablesHost>;

public sealed class CosmosCorsTests(CosmosHost host) : CorsTests(host), IClassFixture<CosmosHost>;
