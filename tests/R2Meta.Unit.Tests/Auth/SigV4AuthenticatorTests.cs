using R2Meta.Domain.Accounts;
using R2Meta.S3.Auth;

namespace R2Meta.Unit.Tests.Auth;

public sealed class SigV4AuthenticatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Account Alice = new("AKALICE", "alice-secret", "alice-id", "alice");
    private static readonly AccountDirectory Accounts = AccountDirectory.Parse("AKALICE:alice-secret:alice-id:alice,AKBOB:bob-secret");

    [Fact]
    public void Authenticate_DocumentedS3GetExample_ReturnsAccount()
    {
        var request = TestRequests.Create("GET", "/test.txt",
        [
            ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"), ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("x-amz-date", "20130524T000000Z"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        ]);
        var directory = AccountDirectory.Parse($"{S3ChunkedExample.AccessKeyId}:{S3ChunkedExample.Secret}");

        var result = new SigV4Authenticator(directory, new FixedTime(S3ChunkedExample.Time.AddMinutes(5))).Authenticate(request);

        Assert.Equal(S3ChunkedExample.AccessKeyId, result.Account.AccessKeyId);
        Assert.Equal(PayloadMode.SignedSha256, result.Mode);
    }

    [Fact]
    public async Task Authenticate_HeaderSignedPut_ReturnsVerifiedBody()
    {
        var body = TestRequests.Ascii("hello world");
        var request = TestRequests.Create("PUT", "/bucket/dir/key%20with%20space.txt?x-id=PutObject", [("Host", "localhost:5000"), ("Content-Type", "text/plain")], body);
        TestRequests.SignHeader(request, Alice, Now, TestRequests.Sha256Hex(body), region: "auto");

        var result = Authenticator().Authenticate(request);

        Assert.Equal("alice-id", result.Account.CanonicalUserId);
        Assert.Equal(PayloadMode.SignedSha256, result.Mode);
        Assert.Equal(11, result.DecodedContentLength);
        Assert.Equal(body, await TestRequests.ReadAllAsync(result.Body));
    }

    [Fact]
    public async Task Authenticate_PayloadHashMismatch_FailsAtEndOfBody()
    {
        var request = TestRequests.Create("PUT", "/bucket/key", [("Host", "localhost")], TestRequests.Ascii("tampered"));
        TestRequests.SignHeader(request, Alice, Now, TestRequests.Sha256Hex(TestRequests.Ascii("original")));

        var result = Authenticator().Authenticate(request);
        var error = await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(result.Body));

        Assert.Equal("XAmzContentSHA256Mismatch", error.Code);
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public void Authenticate_Presigned_ReturnsAccountWithUnsignedPayload()
    {
        var target = TestRequests.Presign("GET", "localhost:5000", "/bucket/photos/a%2Bb.jpg", Alice, Now.AddMinutes(-30), 3600, "response-content-type=image%2Fjpeg");
        var request = TestRequests.Create("GET", target, [("Host", "localhost:5000")]);

        var result = Authenticator().Authenticate(request);

        Assert.Equal("AKALICE", result.Account.AccessKeyId);
        Assert.Equal(PayloadMode.Unsigned, result.Mode);
    }

    [Fact]
    public void Authenticate_PresignedExpired_IsAccessDenied()
    {
        var target = TestRequests.Presign("GET", "localhost", "/bucket/key", Alice, Now.AddHours(-2), 3600);
        var error = TestRequests.Error(() => Authenticator().Authenticate(TestRequests.Create("GET", target, [("Host", "localhost")])));

        Assert.Equal(("AccessDenied", 403, "Request has expired"), (error.Code, error.Status, error.Message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(604801)]
    public void Authenticate_PresignedExpiresOutOfRange_IsQueryParametersError(int expires)
    {
        var target = TestRequests.Presign("GET", "localhost", "/bucket/key", Alice, Now, expires);
        var error = TestRequests.Error(() => Authenticator().Authenticate(TestRequests.Create("GET", target, [("Host", "localhost")])));

        Assert.Equal(("AuthorizationQueryParametersError", 400), (error.Code, error.Status));
    }

    [Fact]
    public void Authenticate_PresignedTamperedPath_IsSignatureDoesNotMatch()
    {
        var target = TestRequests.Presign("GET", "localhost", "/bucket/key", Alice, Now, 3600).Replace("/bucket/key", "/bucket/other", StringComparison.Ordinal);
        var error = TestRequests.Error(() => Authenticator().Authenticate(TestRequests.Create("GET", target, [("Host", "localhost")])));

        Assert.Equal(("SignatureDoesNotMatch", 403), (error.Code, error.Status));
    }

    [Fact]
    public void Authenticate_WrongSecret_IsSignatureDoesNotMatch()
    {
        var request = TestRequests.Create("GET", "/bucket/key", [("Host", "localhost")]);
        TestRequests.SignHeader(request, Alice with { SecretAccessKey = "not-alice-secret" }, Now, "UNSIGNED-PAYLOAD");

        var error = TestRequests.Error(() => Authenticator().Authenticate(request));

        Assert.Equal(("SignatureDoesNotMatch", 403), (error.Code, error.Status));
        Assert.DoesNotContain("alice-secret", string.Join(" ", error.Details!.Values), StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_HeaderChangedAfterSigning_IsSignatureDoesNotMatch()
    {
        var request = TestRequests.Create("GET", "/bucket/key", [("Host", "localhost"), ("Range", "bytes=0-9")]);
        TestRequests.SignHeader(request, Alice, Now, "UNSIGNED-PAYLOAD");
        request.Headers.Range = "bytes=0-99";

        Assert.Equal("SignatureDoesNotMatch", TestRequests.Error(() => Authenticator().Authenticate(request)).Code);
    }

    [Fact]
    public void Authenticate_UnknownAccessKey_IsInvalidAccessKeyId()
    {
        var request = TestRequests.Create("GET", "/bucket/key", [("Host", "localhost")]);
        TestRequests.SignHeader(request, Alice with { AccessKeyId = "AKNOBODY" }, Now, "UNSIGNED-PAYLOAD");

        var error = TestRequests.Error(() => Authenticator().Authenticate(request));

        Assert.Equal(("InvalidAccessKeyId", 403), (error.Code, error.Status));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(-16)]
    public void Authenticate_ClockSkewOver15Minutes_IsRequestTimeTooSkewed(int minutes)
    {
        var request = TestRequests.Create("GET", "/bucket/key", [("Host", "localhost")]);
        TestRequests.SignHeader(request, Alice, Now.AddMinutes(minutes), "UNSIGNED-PAYLOAD");

        var error = TestRequests.Error(() => Authenticator().Authenticate(request));

        Assert.Equal(("RequestTimeTooSkewed", 403), (error.Code, error.Status));
    }

    [Fact]
    public void Authenticate_ClockSkewUnder15Minutes_Succeeds()
    {
        var request = TestRequests.Create("GET", "/bucket/key", [("Host", "localhost")]);
        TestRequests.SignHeader(request, Alice, Now.AddMinutes(14), "UNSIGNED-PAYLOAD");

        Assert.Equal(PayloadMode.Unsigned, Authenticator().Authenticate(request).Mode);
    }

    [Fact]
    public void Authenticate_Anonymous_IsAccessDenied()
    {
        var error = TestRequests.Error(() => Authenticator().Authenticate(TestRequests.Create("GET", "/bucket/key", [("Host", "localhost")])));

        Assert.Equal(("AccessDenied", 403), (error.Code, error.Status));
    }

    public static TheoryData<string, string, int> MalformedAuthorizations => new()
    {
        { "AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/s3/aws4_request, SignedHeaders=host;x-amz-date", "AuthorizationHeaderMalformed", 400 },
        { "AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/aws4_request, SignedHeaders=host, Signature=" + new string('a', 64), "AuthorizationHeaderMalformed", 400 },
        { "AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/sqs/aws4_request, SignedHeaders=host, Signature=" + new string('a', 64), "AuthorizationHeaderMalformed", 400 },
        { "AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/s3/aws4_request, SignedHeaders=x-amz-date, Signature=" + new string('a', 64), "AuthorizationHeaderMalformed", 400 },
        { "AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/s3/aws4_request, SignedHeaders=host, Signature=xyz", "AuthorizationHeaderMalformed", 400 },
        { "AWS4-HMAC-SHA256 Credential=AKALICE/20250228/auto/s3/aws4_request, SignedHeaders=host, Signature=" + new string('a', 64), "AuthorizationHeaderMalformed", 400 },
        { "AWS4-HMAC-SHA256 garbage", "AuthorizationHeaderMalformed", 400 },
        { "AWS4-HMAC-SHA512 Credential=AKALICE/20250301/auto/s3/aws4_request, SignedHeaders=host, Signature=" + new string('a', 64), "InvalidArgument", 400 },
        { "AWS AKALICE:c2lnbmF0dXJl", "InvalidRequest", 400 },
    };

    [Theory]
    [MemberData(nameof(MalformedAuthorizations))]
    public void Authenticate_MalformedAuthorization_IsClientError(string authorization, string code, int status)
    {
        var request = TestRequests.Create("GET", "/bucket/key",
            [("Host", "localhost"), ("x-amz-date", "20250301T120000Z"), ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), ("Authorization", authorization)]);

        var error = TestRequests.Error(() => Authenticator().Authenticate(request));

        Assert.Equal((code, status), (error.Code, error.Status));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2025-03-01T12:00:00Z")]
    public void Authenticate_MissingOrMalformedDate_IsAccessDenied(string? amzDate)
    {
        var request = TestRequests.Create("GET", "/bucket/key", [("Host", "localhost")]);
        TestRequests.SignHeader(request, Alice, Now, "UNSIGNED-PAYLOAD");
        request.Headers.Remove("x-amz-date");
        if (amzDate is not null)
        {
            request.Headers["x-amz-date"] = amzDate;
        }

        var error = TestRequests.Error(() => Authenticator().Authenticate(request));

        Assert.Equal(("AccessDenied", 403, "AWS authentication requires a valid Date or x-amz-date header"), (error.Code, error.Status, error.Message));
    }

    [Fact]
    public void Authenticate_InvalidContentSha256_IsInvalidArgument()
    {
        var request = TestRequests.Create("GET", "/bucket/key", [("Host", "localhost")]);
        TestRequests.SignHeader(request, Alice, Now, "not-a-hash");

        Assert.Equal("InvalidArgument", TestRequests.Error(() => Authenticator().Authenticate(request)).Code);
    }

    [Fact]
    public void Authenticate_HeaderAndPresignedTogether_IsInvalidArgument()
    {
        var target = TestRequests.Presign("GET", "localhost", "/bucket/key", Alice, Now, 3600);
        var request = TestRequests.Create("GET", target, [("Host", "localhost"), ("Authorization", "AWS4-HMAC-SHA256 x")]);

        Assert.Equal("InvalidArgument", TestRequests.Error(() => Authenticator().Authenticate(request)).Code);
    }

    private static SigV4Authenticator Authenticator() => new(Accounts, new FixedTime(Now));
}
