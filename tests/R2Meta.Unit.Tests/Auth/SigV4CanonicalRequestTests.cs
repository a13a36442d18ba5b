using System.Text;
using R2Meta.Domain.Accounts;
using R2Meta.S3.Auth;

namespace R2Meta.Unit.Tests.Auth;

/// <summary>
/// The authenticator writes the canonical request as UTF-8 bytes when verifying and builds it as a string only to
/// report a mismatch; these pin both to the canonical forms <see cref="SigV4Signer"/>'s string helpers define.
/// </summary>
public sealed class SigV4CanonicalRequestTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Account Alice = new("AKALICE", "alice-secret", "alice-id", "alice");
    private static readonly AccountDirectory Accounts = AccountDirectory.Parse("AKALICE:alice-secret:alice-id:alice");

    private const string Target = "/bucket/a%20b/%E2%82%AC?prefix=a%2Fb&list-type=2&empty";
    private const string SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-meta-city;x-amz-meta-multi;x-amz-meta-note;x-missing";

    /// <summary>Written out by hand from the SigV4 rules, not by the code under test.</summary>
    private const string CanonicalRequest =
        "GET\n/bucket/a%20b/%E2%82%AC\nempty=&list-type=2&prefix=a%2Fb\n"
        + "host:localhost:5000\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20250301T120000Z\n"
        + "x-amz-meta-city:Zürich\nx-amz-meta-multi:b,a c\nx-amz-meta-note:two spaces and a tab\nx-missing:\n\n"
        + SignedHeaders + "\nUNSIGNED-PAYLOAD";

    [Fact]
    public void Authenticate_SignatureOverHandWrittenCanonicalRequest_Succeeds()
    {
        var request = HandWrittenRequest(SigV4Signer.Sign(Key(), StringToSign()));

        Assert.Equal("AKALICE", Authenticator().Authenticate(request).Account.AccessKeyId);
    }

    [Fact]
    public void Authenticate_SignatureMismatch_ReportsCanonicalRequestAndStringToSign()
    {
        var wrong = new string('0', 64);

        var error = TestRequests.Error(() => Authenticator().Authenticate(HandWrittenRequest(wrong)));

        Assert.Equal(("SignatureDoesNotMatch", 403), (error.Code, error.Status));
        Assert.Equal(CanonicalRequest, error.Details!["CanonicalRequest"]);
        Assert.Equal(StringToSign(), error.Details["StringToSign"]);
        Assert.Equal(wrong, error.Details["SignatureProvided"]);
        Assert.Equal("AKALICE", error.Details["AWSAccessKeyId"]);
    }

    public static TheoryData<string[]> HeaderValues => new()
    {
        { ["a\tb"] },
        { ["  leading and trailing  "] },
        { ["inner     run   of spaces"] },
        { ["\ttabs at both ends\t"] },
        { ["folded\r\n line"] },
        { ["\vvertical tab first, otherwise canonical"] },
        { ["\u00a0no-break space first  and a double space"] },
        { ["\u00a0no-break space first, otherwise canonical"] },
        { ["héllo wörld €"] },
        { ["emoji 😀  pair"] },
        { ["Upper Case Stays"] },
        { [""] },
        { ["   "] },
        { [string.Concat(Enumerable.Repeat("long  value\t", 400))] },
        { [" a ", "b  c"] },
        { ["x", "", " y"] },
        { ["first", "é\tsecond", "😀"] },
    };

    [Theory]
    [MemberData(nameof(HeaderValues))]
    public void Authenticate_NastyHeaderValues_VerifyAsTheStringCanonicalFormSigns(string[] values)
    {
        var request = TestRequests.Create("HEAD", "/bucket/key", [("Host", "localhost:5000"), .. values.Select(v => ("X-Amz-Meta-Note", v))]);
        TestRequests.SignHeader(request, Alice, Now, "UNSIGNED-PAYLOAD");

        Assert.Equal(PayloadMode.Unsigned, Authenticator().Authenticate(request).Mode);
    }

    [Fact]
    public void Authenticate_LoneSurrogatesInHeaderValues_VerifyAsTheStringCanonicalFormSigns()
    {
        // Built in code: theory data passes through serialization, which may not keep a lone surrogate.
        var request = TestRequests.Create("HEAD", "/bucket/key",
            [("Host", "localhost:5000"), ("X-Amz-Meta-Note", "lone " + '\ud800' + "  high"), ("X-Amz-Meta-Note", '\udc00' + " low first"), ("X-Amz-Meta-Tail", "ends high" + '\ud83d')]);
        TestRequests.SignHeader(request, Alice, Now, "UNSIGNED-PAYLOAD");

        Assert.Equal(PayloadMode.Unsigned, Authenticator().Authenticate(request).Mode);
    }

    [Theory]
    [InlineData("/bucket/key?prefix=a%2Fb&delimiter=%2F&list-type=2")]
    [InlineData("/bucket/key?k=%FF&plus=a+b&space=a%20b&tilde=%7E")]
    [InlineData("/bucket/key?uploads")]
    [InlineData("/bucket/%E2%82%AC/a+b/c%2Fd?x-id=GetObject")]
    [InlineData("/bucket/caf%C3%A9?prefix=%C3%A9t%C3%A9&b=2&a=2&a=1")]
    public void Authenticate_EncodedPathsAndQueries_Succeed(string target)
    {
        var request = TestRequests.Create("GET", target, [("Host", "localhost:5000")]);
        TestRequests.SignHeader(request, Alice, Now, "UNSIGNED-PAYLOAD");

        Assert.Equal(PayloadMode.Unsigned, Authenticator().Authenticate(request).Mode);
    }

    [Fact]
    public void Authenticate_UpperCaseSignatureHex_Succeeds()
    {
        var request = HandWrittenRequest(SigV4Signer.Sign(Key(), StringToSign()).ToUpperInvariant());

        Assert.Equal("AKALICE", Authenticator().Authenticate(request).Account.AccessKeyId);
    }

    private static Microsoft.AspNetCore.Http.HttpRequest HandWrittenRequest(string signature) =>
        TestRequests.Create("GET", Target,
        [
            ("Host", "localhost:5000"), ("x-amz-date", "20250301T120000Z"), ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
            ("X-Amz-Meta-Note", "  two   spaces and\ta tab "), ("x-amz-meta-multi", "b"), ("x-amz-meta-multi", " a  c"), ("x-amz-meta-city", "Zürich"),
            ("Authorization", $"AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/s3/aws4_request, SignedHeaders={SignedHeaders}, Signature={signature}"),
        ]);

    private static string StringToSign() =>
        "AWS4-HMAC-SHA256\n20250301T120000Z\n20250301/auto/s3/aws4_request\n" + TestRequests.Sha256Hex(Encoding.UTF8.GetBytes(CanonicalRequest));

    private static byte[] Key() => SigV4Signer.SigningKey("alice-secret", "20250301", "auto", "s3");

    private static SigV4Authenticator Authenticator() => new(Accounts, new FixedTime(Now));
}
