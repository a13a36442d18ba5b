using R2Meta.S3.Auth;
using R2Meta.S3.Forms;
using R2Meta.Unit.Tests.Auth;

namespace R2Meta.Unit.Tests.Forms;

public sealed class PostFormAuthenticatorTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly AccountDirectory Accounts = AccountDirectory.Parse("AKIAIOSFODNN7EXAMPLE:" + Secret);
    private static readonly PostFormAuthenticator Authenticator = new(AccessKeyResolver.Bootstrap(Accounts, TimeProvider.System));
    private static readonly string Policy = PostPolicyTests.Encode("""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": [{"bucket": "b"}]}""");

    [Fact]
    public async Task Authenticate_SignedPolicy_AccountAndPolicy()
    {
        var signed = await Authenticator.AuthenticateAsync(Form(Signed()));

        Assert.Equal("AKIAIOSFODNN7EXAMPLE", signed!.Account.AccessKeyId);
        Assert.Single(signed.Policy.Conditions);
    }

    /// <summary>The worked example of AWS's "Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)".</summary>
    [Fact]
    public void Authenticate_SignatureIsHmacOfTheBase64Policy_AsAwsComputesIt()
    {
        var key = SigV4Signer.SigningKey(Secret, "20151229", "us-east-1", "s3");
        const string policy = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";

        Assert.Equal("8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e", SigV4Signer.Sign(key, policy));
    }

    [Fact]
    public async Task Authenticate_WrongSignature_SignatureDoesNotMatch()
    {
        var fields = Signed();
        fields["x-amz-signature"] = new string('0', 64);

        var error = (await TestRequests.ErrorAsync(async () => await Authenticator.AuthenticateAsync(Form(fields))));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal(403, error.Status);
    }

    [Fact]
    public async Task Authenticate_PolicyChangedAfterSigning_SignatureDoesNotMatch()
    {
        var fields = Signed();
        fields["policy"] = PostPolicyTests.Encode("""{"expiration": "2099-01-01T00:00:00Z", "conditions": []}""");

        Assert.Equal("SignatureDoesNotMatch", (await TestRequests.ErrorAsync(async () => await Authenticator.AuthenticateAsync(Form(fields)))).Code);
    }

    [Fact]
    public async Task Authenticate_UnknownAccessKey_InvalidAccessKeyId()
    {
        var fields = Signed();
        fields["x-amz-credential"] = "NOBODY/20261203/us-east-1/s3/aws4_request";

        Assert.Equal("InvalidAccessKeyId", (await TestRequests.ErrorAsync(async () => await Authenticator.AuthenticateAsync(Form(fields)))).Code);
    }

    [Fact]
    public async Task Authenticate_NoPolicyNoSignature_Anonymous() =>
        Assert.Null(await Authenticator.AuthenticateAsync(Form(new() { ["key"] = "k" })));

    [Theory]
    [InlineData("x-amz-signature")]
    [InlineData("x-amz-credential")]
    [InlineData("x-amz-algorithm")]
    [InlineData("x-amz-date")]
    [InlineData("policy")]
    public async Task Authenticate_SigV4FieldMissing_InvalidArgument(string missing)
    {
        var fields = Signed();
        fields.Remove(missing);

        var error = (await TestRequests.ErrorAsync(async () => await Authenticator.AuthenticateAsync(Form(fields))));

        Assert.Equal("InvalidArgument", error.Code);
        Assert.Equal(missing, error.Details!["ArgumentName"]);
    }

    [Fact]
    public async Task Authenticate_OtherAlgorithm_InvalidArgument()
    {
        var fields = Signed();
        fields["x-amz-algorithm"] = "AWS4-HMAC-SHA1";

        Assert.Equal("InvalidArgument", (await TestRequests.ErrorAsync(async () => await Authenticator.AuthenticateAsync(Form(fields)))).Code);
    }

    [Fact]
    public async Task Authenticate_SigV2Fields_InvalidRequestUseSigV4()
    {
        var error = (await TestRequests.ErrorAsync(async () => await Authenticator.AuthenticateAsync(Form(new() { ["AWSAccessKeyId"] = "AKIAIOSFODNN7EXAMPLE", ["policy"] = Policy, ["signature"] = "abc=" }))));

        Assert.Equal("InvalidRequest", error.Code);
        Assert.Contains("AWS4-HMAC-SHA256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_FieldNamesInAnyCase_Accepted()
    {
        var fields = Signed().ToDictionary(p => p.Key.ToUpperInvariant(), p => p.Value);

        Assert.NotNull(await Authenticator.AuthenticateAsync(Form(fields)));
    }

    private static Dictionary<string, string> Signed()
    {
        var key = SigV4Signer.SigningKey(Secret, "20261203", "us-east-1", "s3");
        return new Dictionary<string, string>
        {
            ["key"] = "k",
            ["policy"] = Policy,
            ["x-amz-algorithm"] = "AWS4-HMAC-SHA256",
            ["x-amz-credential"] = "AKIAIOSFODNN7EXAMPLE/20261203/us-east-1/s3/aws4_request",
            ["x-amz-date"] = "20261203T010000Z",
            ["x-amz-signature"] = SigV4Signer.Sign(key, Policy),
        };
    }

    private static PostForm Form(Dictionary<string, string> fields) =>
        new([.. fields.Select(p => new FormField(p.Key, p.Value))], null, new FormFileStream(Stream.Null));
}
