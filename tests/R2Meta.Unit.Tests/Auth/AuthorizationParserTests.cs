using R2Meta.S3.Auth;

namespace R2Meta.Unit.Tests.Auth;

public sealed class AuthorizationParserTests
{
    private const string Credential = "AKALICE/20250301/auto/s3/aws4_request";
    private static readonly string Signature = new('a', 64);
    private static readonly string Valid = $"Credential={Credential}, SignedHeaders=host;x-amz-date, Signature={Signature}";

    public static TheoryData<string> SpacingAndOrder => new()
    {
        $"AWS4-HMAC-SHA256 Credential={Credential},SignedHeaders=host;x-amz-date,Signature={Signature}",
        $"AWS4-HMAC-SHA256   Credential={Credential} ,\tSignedHeaders=host;x-amz-date , Signature={Signature}  ",
        $"AWS4-HMAC-SHA256 Credential = {Credential}, SignedHeaders =\thost;x-amz-date, Signature= {Signature}",
        $"AWS4-HMAC-SHA256 Signature={Signature}, SignedHeaders=host;x-amz-date, Credential={Credential}",
        $"AWS4-HMAC-SHA256 ,Credential={Credential},, ,SignedHeaders=host;x-amz-date,\t,Signature={Signature},",
        $"AWS4-HMAC-SHA256 Credential=AKBOB/20250302/us-east-1/s3/aws4_request, Credential={Credential}, SignedHeaders=host;x-amz-date, Signature={Signature}",
    };

    [Theory]
    [MemberData(nameof(SpacingAndOrder))]
    public void ParseHeader_OddSpacingOrderOrRepeats_ReadsTheLastOfEachComponent(string header)
    {
        var claim = AuthorizationParser.ParseHeader(header);

        Assert.Equal(new Credential("AKALICE", "20250301", "auto", "s3"), claim.Credential);
        Assert.Equal("host;x-amz-date", claim.SignedHeaders);
        Assert.Equal(Signature, claim.Signature);
    }

    [Fact]
    public void ParseHeader_AccessKeyIdWithSlashesAndUpperCaseSignature_KeepsBoth()
    {
        var claim = AuthorizationParser.ParseHeader($"AWS4-HMAC-SHA256 Credential=AK/with/slash/20250301/us-east-1/s3/aws4_request, SignedHeaders=host, Signature={new string('F', 64)}");

        Assert.Equal(new Credential("AK/with/slash", "20250301", "us-east-1", "s3"), claim.Credential);
        Assert.Equal("20250301/us-east-1/s3/aws4_request", claim.Credential.Scope);
        Assert.Equal(new string('F', 64), claim.Signature);
    }

    public static TheoryData<string, string> MalformedHeaders => new()
    {
        { "AWS4-HMAC-SHA256", "missing Credential." },
        { "AWS4-HMAC-SHA256 ", "missing Credential." },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, Signature={Signature}", "missing SignedHeaders." },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=host", "missing Signature." },
        { $"AWS4-HMAC-SHA256 SignedHeaders=host, Signature={Signature}", "missing Credential." },
        { "AWS4-HMAC-SHA256 garbage", "the authorization component \"garbage\" is malformed." },
        { $"AWS4-HMAC-SHA256 {Valid},  =x  ", "the authorization component \"=x\" is malformed." },
        { $"AWS4-HMAC-SHA256 Foo = bar, {Valid}", "the authorization component \"Foo\" is not recognized." },
        { $"AWS4-HMAC-SHA256 credential={Credential}, SignedHeaders=host, Signature={Signature}", "the authorization component \"credential\" is not recognized." },
        { $"AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature={Signature}", MalformedCredential },
        { $"AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/aws4_request, SignedHeaders=host, Signature={Signature}", MalformedCredential },
        { $"AWS4-HMAC-SHA256 Credential=/20250301/auto/s3/aws4_request, SignedHeaders=host, Signature={Signature}", MalformedCredential },
        { $"AWS4-HMAC-SHA256 Credential=AK//20250301/auto/s3/aws4_request, SignedHeaders=host, Signature={Signature}", MalformedCredential },
        { $"AWS4-HMAC-SHA256 Credential=AKALICE/2025-03-01/auto/s3/aws4_request, SignedHeaders=host, Signature={Signature}", "incorrect date format \"2025-03-01\". This date in the credential must be in the format \"yyyyMMdd\"." },
        { $"AWS4-HMAC-SHA256 Credential=AKALICE/20250301//s3/aws4_request, SignedHeaders=host, Signature={Signature}", "the region in the credential is empty." },
        { $"AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/S3/aws4_request, SignedHeaders=host, Signature={Signature}", "incorrect service \"S3\". This endpoint belongs to \"s3\"." },
        { $"AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/s3/aws4_reques, SignedHeaders=host, Signature={Signature}", "incorrect terminal \"aws4_reques\". This endpoint uses \"aws4_request\"." },
        { $"AWS4-HMAC-SHA256 Credential=AKALICE/20250301/auto/s3/aws4_request/, SignedHeaders=host, Signature={Signature}", "incorrect date format \"auto\". This date in the credential must be in the format \"yyyyMMdd\"." },
        { $"AWS4-HMAC-SHA256 Credential=AKALICE/2025/auto/s3/x, SignedHeaders=Host, Signature=z", "incorrect date format \"2025\". This date in the credential must be in the format \"yyyyMMdd\"." },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=, Signature={Signature}", HeaderList },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=host;, Signature={Signature}", HeaderList },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=host;;x-amz-date, Signature={Signature}", HeaderList },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=Host;x-amz-date, Signature={Signature}", HeaderList },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=host; x-amz-date, Signature={Signature}", HeaderList },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=host;x:y, Signature={Signature}", HeaderList },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=x-amz-date;hosts, Signature=zz", "SignedHeaders must include host." },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=host, Signature={Signature[1..]}", BadSignature },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=host, Signature={Signature[1..]}g", BadSignature },
        { $"AWS4-HMAC-SHA256 Credential={Credential}, SignedHeaders=host, Signature=", BadSignature },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void ParseHeader_Malformed_IsAuthorizationHeaderMalformedSayingWhy(string header, string reason)
    {
        var error = TestRequests.Error(() => AuthorizationParser.ParseHeader(header));

        Assert.Equal(("AuthorizationHeaderMalformed", 400, "The authorization header is malformed; " + reason), (error.Code, error.Status, error.Message));
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA512 " + "Credential=x", "AWS4-HMAC-SHA512")]
    [InlineData("Bearer", "Bearer")]
    [InlineData(" AWS4-HMAC-SHA256 Credential=x", "")]
    public void ParseHeader_OtherAlgorithm_IsInvalidArgumentNamingIt(string header, string algorithm)
    {
        var error = TestRequests.Error(() => AuthorizationParser.ParseHeader(header));

        Assert.Equal(("InvalidArgument", "Unsupported Authorization Type"), (error.Code, error.Message));
        Assert.Equal(algorithm, error.Details!["ArgumentValue"]);
    }

    [Fact]
    public void ParseHeader_SignatureVersion2_IsInvalidRequest()
    {
        var error = TestRequests.Error(() => AuthorizationParser.ParseHeader("AWS AKALICE:c2lnbmF0dXJl"));

        Assert.Equal(("InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."), (error.Code, error.Message));
    }

    [Theory]
    [InlineData("AKALICE/20250301/auto/s3/aws4_request", "x-amz-date", "SignedHeaders must include host.")]
    [InlineData("AKALICE/20250301/auto/s3/aws4_request", "host;Range", "SignedHeaders must be a ';'-separated list of lower-case header names.")]
    [InlineData("AKALICE/20250301/auto/s3/aws4_reques", "host", "Incorrect terminal \"aws4_reques\". This endpoint uses \"aws4_request\".")]
    public void ParseQuery_BadCredentialOrSignedHeaders_IsQueryParametersError(string credential, string signedHeaders, string message)
    {
        var query = new Dictionary<string, string>
        {
            ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256", ["X-Amz-Credential"] = credential, ["X-Amz-Date"] = "20250301T120000Z",
            ["X-Amz-Expires"] = "60", ["X-Amz-SignedHeaders"] = signedHeaders, ["X-Amz-Signature"] = Signature,
        };

        var error = TestRequests.Error(() => AuthorizationParser.ParseQuery(query));

        Assert.Equal(("AuthorizationQueryParametersError", message), (error.Code, error.Message));
    }

    [Fact]
    public void ParseCredential_AsPostFormsUseIt_ReturnsTheScopeParts()
    {
        var credential = AuthorizationParser.ParseCredential("AKALICE/20251203/eu-west-1/s3/aws4_request", reason => throw new InvalidOperationException(reason));

        Assert.Equal(new Credential("AKALICE", "20251203", "eu-west-1", "s3"), credential);
    }

    private const string MalformedCredential = "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
    private const string HeaderList = "SignedHeaders must be a ';'-separated list of lower-case header names.";
    private const string BadSignature = "the Signature must be 64 hexadecimal characters.";
}
