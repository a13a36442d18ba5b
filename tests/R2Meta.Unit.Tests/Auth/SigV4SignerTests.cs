using System.Text;
using R2Meta.Domain.Accounts;
using R2Meta.S3.Auth;

namespace R2Meta.Unit.Tests.Auth;

/// <summary>
/// Vectors copied from AWS's SigV4 test suite (as kept in awslabs/aws-c-auth tests/aws-signing-test-suite/v4)
/// and from the S3 API reference examples (sig-v4-header-based-auth, sigv4-query-string-auth, sigv4-streaming).
/// </summary>
public sealed class SigV4SignerTests
{
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SuiteDate = "20150830T123600Z";
    private const string SuiteScope = "20150830/us-east-1/service/aws4_request";
    private const string S3Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string S3Date = "20130524T000000Z";
    private const string S3Scope = "20130524/us-east-1/s3/aws4_request";

    public static TheoryData<string, string, string, string[], string, string, string, string> SuiteVectors => new()
    {
        {
            "get-vanilla", "GET", "/", ["host:example.amazonaws.com", "x-amz-date:20150830T123600Z"], SigV4Signer.EmptySha256,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        },
        {
            "get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", ["Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"], SigV4Signer.EmptySha256,
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        },
        {
            "get-header-value-trim", "GET", "/", ["Host:example.amazonaws.com", "My-Header1: value1", "My-Header2: \"a   b   c\"", "X-Amz-Date:20150830T123600Z"], SigV4Signer.EmptySha256,
            "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        },
        {
            "get-vanilla-query-unreserved", "GET",
            "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            ["Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"], SigV4Signer.EmptySha256,
            "GET\n/\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"
        },
        {
            "get-utf8", "GET", "/\u1234", ["Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"], SigV4Signer.EmptySha256,
            "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
            "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"
        },
        {
            "get-space-unnormalized", "GET", "/example space/", ["Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"], SigV4Signer.EmptySha256,
            "GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
            "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"
        },
        {
            "post-x-www-form-urlencoded", "POST", "/",
            [
                "Content-Length:13", "Content-Type:application/x-www-form-urlencoded", "Host:example.amazonaws.com",
                "X-Amz-Content-Sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", "X-Amz-Date:20150830T123600Z",
            ],
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            "b1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb",
            "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
        },
    };

    [Theory]
    [MemberData(nameof(SuiteVectors))]
    public void Suite_Vector_MatchesCanonicalRequestStringToSignAndSignature(
        string name, string method, string target, string[] headerLines, string payloadHash, string canonicalRequest, string stringToSignHash, string signature)
    {
        var headers = headerLines.Select(l => (Name: l[..l.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant(), Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]))
            .OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? "" : target[(question + 1)..];

        var actual = SigV4Signer.CanonicalRequest(method, SigV4Signer.CanonicalUri(path), SigV4Signer.CanonicalQuery(query, false),
            SigV4Signer.CanonicalHeaders(headers), string.Join(';', headers.Select(h => h.Name)), payloadHash);
        var stringToSign = SigV4Signer.StringToSign(SuiteDate, SuiteScope, actual);

        Assert.Equal(canonicalRequest, actual);
        Assert.Equal($"AWS4-HMAC-SHA256\n{SuiteDate}\n{SuiteScope}\n{stringToSignHash}", stringToSign);
        Assert.Equal(signature, SigV4Signer.Sign(SigV4Signer.SigningKey(SuiteSecret, "20150830", "us-east-1", "service"), stringToSign));
        Assert.NotEmpty(name);
    }

    [Fact]
    public void Suite_GetVanillaPresigned_MatchesQueryVector()
    {
        const string query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d";

        var canonical = SigV4Signer.CanonicalRequest("GET", "/", SigV4Signer.CanonicalQuery(query, excludeSignature: true),
            SigV4Signer.CanonicalHeaders([("host", "example.amazonaws.com")]), "host", SigV4Signer.EmptySha256);

        Assert.Equal(
            "GET\n/\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws.com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            canonical);
        var stringToSign = SigV4Signer.StringToSign(SuiteDate, SuiteScope, canonical);
        Assert.EndsWith("bb7705b4aa3cb8e8f5e1e0b3d4c0b64030797a313c8ceee43e33117cc43eadc5", stringToSign, StringComparison.Ordinal);
        Assert.Equal("e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d",
            SigV4Signer.Sign(SigV4Signer.SigningKey(SuiteSecret, "20150830", "us-east-1", "service"), stringToSign));
    }

    [Fact]
    public void S3Example_GetObject_MatchesDocumentedSignature()
    {
        var canonical = SigV4Signer.CanonicalRequest("GET", SigV4Signer.CanonicalUri("/test.txt"), "",
            SigV4Signer.CanonicalHeaders([("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9"), ("x-amz-content-sha256", SigV4Signer.EmptySha256), ("x-amz-date", S3Date)]),
            "host;range;x-amz-content-sha256;x-amz-date", SigV4Signer.EmptySha256);
        var stringToSign = SigV4Signer.StringToSign(S3Date, S3Scope, canonical);

        Assert.Equal("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972", stringToSign);
        Assert.Equal("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", SigV4Signer.Sign(S3Key(), stringToSign));
    }

    [Fact]
    public void S3Example_PresignedGetObject_MatchesDocumentedSignature()
    {
        const string query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host";
        var canonical = SigV4Signer.CanonicalRequest("GET", "/test.txt", SigV4Signer.CanonicalQuery(query, true),
            SigV4Signer.CanonicalHeaders([("host", "examplebucket.s3.amazonaws.com")]), "host", "UNSIGNED-PAYLOAD");

        Assert.Equal("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", SigV4Signer.Sign(S3Key(), SigV4Signer.StringToSign(S3Date, S3Scope, canonical)));
    }

    [Fact]
    public void S3Example_ChunkedUpload_MatchesSeedAndChunkSignatures()
    {
        var canonical = SigV4Signer.CanonicalRequest("PUT", "/examplebucket/chunkObject.txt", "",
            SigV4Signer.CanonicalHeaders([
                ("content-encoding", "aws-chunked"), ("content-length", "66824"), ("host", "s3.amazonaws.com"),
                ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), ("x-amz-date", S3Date),
                ("x-amz-decoded-content-length", "66560"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ]),
            "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        var seed = SigV4Signer.Sign(S3Key(), SigV4Signer.StringToSign(S3Date, S3Scope, canonical));
        Assert.Equal(S3ChunkedExample.SeedSignature, seed);

        var first = SigV4Signer.Sign(S3Key(), SigV4Signer.ChunkStringToSign(S3Date, S3Scope, seed, TestRequests.Sha256Hex(new byte[65536].Select(_ => (byte)'a').ToArray())));
        Assert.Equal(S3ChunkedExample.ChunkSignatures[0], first);
        var second = SigV4Signer.Sign(S3Key(), SigV4Signer.ChunkStringToSign(S3Date, S3Scope, first, TestRequests.Sha256Hex(Enumerable.Repeat((byte)'a', 1024).ToArray())));
        Assert.Equal(S3ChunkedExample.ChunkSignatures[1], second);
        var last = SigV4Signer.Sign(S3Key(), SigV4Signer.ChunkStringToSign(S3Date, S3Scope, second, SigV4Signer.EmptySha256));
        Assert.Equal(S3ChunkedExample.ChunkSignatures[2], last);
    }

    [Fact]
    public void TrailerSignature_MatchesAwsCrtVector()
    {
        // aws-c-auth's trailing-headers test: the S3 chunked example followed by trailers first/second/third.
        var signature = SigV4Signer.Sign(S3Key(), SigV4Signer.TrailerStringToSign(S3Date, S3Scope, S3ChunkedExample.ChunkSignatures[2], "first:1st\nsecond:2nd\nthird:3rd\n"));

        Assert.Equal(S3ChunkedExample.TrailerSignature, signature);
    }

    [Theory]
    [InlineData("/bucket/a%2Fb", "/bucket/a%2Fb")]
    [InlineData("/bucket/a+b", "/bucket/a%2Bb")]
    [InlineData("/bucket/a%2bb", "/bucket/a%2Bb")]
    [InlineData("/bucket/./x/../y", "/bucket/./x/../y")]
    [InlineData("/bucket//k", "/bucket//k")]
    [InlineData("/bucket/%7Euser/%E2%82%AC", "/bucket/~user/%E2%82%AC")]
    [InlineData("/bucket/100%", "/bucket/100%25")]
    [InlineData("/bucket/small/run-1.x_y~z/c32/17", "/bucket/small/run-1.x_y~z/c32/17")]
    [InlineData("/bucket/a b", "/bucket/a%20b")]
    [InlineData("/", "/")]
    [InlineData("/%2F/", "/%2F/")]
    [InlineData("/bucket/caf\u00e9", "/bucket/caf%C3%A9")]
    [InlineData("/bucket/\U0001F600", "/bucket/%F0%9F%98%80")]
    [InlineData("/bucket/a%zz/%4", "/bucket/a%25zz/%254")]
    [InlineData("/bucket/a+b%20c%2b", "/bucket/a%2Bb%20c%2B")]
    public void CanonicalUri_S3Path_NeitherNormalizesNorDoubleEncodes(string raw, string expected) =>
        Assert.Equal(expected, SigV4Signer.CanonicalUri(raw));

    [Theory]
    [InlineData("acl", "acl=")]
    [InlineData("prefix=a+b&delimiter=%2F", "delimiter=%2F&prefix=a%20b")]
    [InlineData("b=2&a=2&a=1", "a=1&a=2&b=2")]
    [InlineData("k=%FF", "k=%FF")]
    [InlineData("", "")]
    [InlineData("?", "")]
    [InlineData("?b=1&a=2", "a=2&b=1")]
    [InlineData("&&a=1&&b&", "a=1&b=")]
    [InlineData("a=b=c", "a=b%3Dc")]
    [InlineData("a&a=", "a=&a=")]
    [InlineData("ab=0&a-b=1&a=2", "a=2&a-b=1&ab=0")]
    [InlineData("a=2&a=10&a=1", "a=1&a=10&a=2")]
    [InlineData("=v&a=1", "=v&a=1")]
    [InlineData("k=\u00e9", "k=%C3%A9")]
    [InlineData("k=\U0001F600", "k=%F0%9F%98%80")]
    [InlineData("k=%2f%41%7e", "k=%2FA~")]
    [InlineData("k=%zz&j=%4", "j=%254&k=%25zz")]
    [InlineData("a+b=c+d", "a%20b=c%20d")]
    [InlineData("X-Amz-Signature=abc&a=1", "X-Amz-Signature=abc&a=1")]
    public void CanonicalQuery_SortsAndEncodes(string raw, string expected) =>
        Assert.Equal(expected, SigV4Signer.CanonicalQuery(raw, false));

    [Fact]
    public void CanonicalQuery_LoneSurrogate_EncodesAsReplacementCharacter() =>
        Assert.Equal("k=%EF%BF%BDx&l=%EF%BF%BD", SigV4Signer.CanonicalQuery("l=" + '\ud800' + "&k=" + '\udc00' + "x", false));

    [Theory]
    [InlineData("X-Amz-Signature=abc&a=1", "a=1")]
    [InlineData("X%2DAmz-Signature=def&x-amz-signature=ghi&a=1", "a=1&x-amz-signature=ghi")]
    [InlineData("?X-Amz-Signature", "")]
    public void CanonicalQuery_Presigned_LeavesOutTheSignature(string raw, string expected) =>
        Assert.Equal(expected, SigV4Signer.CanonicalQuery(raw, excludeSignature: true));

    [Theory]
    [InlineData("a/b c~\u00e9", "a%2Fb%20c~%C3%A9")]
    [InlineData("", "")]
    public void UriEncode_EncodesAllButUnreserved(string value, string expected) =>
        Assert.Equal(expected, SigV4Signer.UriEncode(value));

    [Theory]
    [InlineData("plain value", "plain value")]
    [InlineData("", "")]
    [InlineData("  padded  ", "padded")]
    [InlineData("a  b", "a b")]
    [InlineData("a\tb", "a b")]
    [InlineData("a \t b", "a b")]
    [InlineData("a\r\n b", "a b")]
    [InlineData("\tlead", "lead")]
    public void CanonicalHeaderValue_TrimsAndCollapsesWhitespace(string value, string expected) =>
        Assert.Equal(expected, SigV4Signer.CanonicalHeaderValue(value));

    [Fact]
    public void SignaturesEqual_DiffersByOneCharacter_IsFalse()
    {
        Assert.True(SigV4Signer.SignaturesEqual(S3ChunkedExample.SeedSignature, S3ChunkedExample.SeedSignature.ToUpperInvariant()));
        Assert.False(SigV4Signer.SignaturesEqual(S3ChunkedExample.SeedSignature, S3ChunkedExample.SeedSignature[..63] + "1"));
        Assert.False(SigV4Signer.SignaturesEqual(S3ChunkedExample.SeedSignature, S3ChunkedExample.SeedSignature[..62]));
        Assert.False(SigV4Signer.SignaturesEqual(S3ChunkedExample.SeedSignature, S3ChunkedExample.SeedSignature[..63] + "\u00e0"));
    }

    private static byte[] S3Key() => SigV4Signer.SigningKey(S3Secret, "20130524", "us-east-1", "s3");
}

/// <summary>The S3 documentation's streaming upload: 66,560 bytes of 'a' as chunks of 65,536, 1,024 and 0.</summary>
internal static class S3ChunkedExample
{
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string SeedSignature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    public const string TrailerSignature = "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c";
    public static readonly DateTimeOffset Time = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    public static readonly string[] ChunkSignatures =
    [
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    ];

    public static byte[] Payload => Enumerable.Repeat((byte)'a', 66560).ToArray();

    /// <summary>The aws-chunked body; <paramref name="corruptSecondChunk"/> flips one data byte, <paramref name="trailer"/> replaces the final CRLF.</summary>
    public static byte[] Body(bool corruptSecondChunk = false, string? trailer = null)
    {
        var body = new MemoryStream();
        void Write(string s) => body.Write(Encoding.ASCII.GetBytes(s));
        Write($"10000;chunk-signature={ChunkSignatures[0]}\r\n");
        body.Write(Enumerable.Repeat((byte)'a', 65536).ToArray());
        Write($"\r\n400;chunk-signature={ChunkSignatures[1]}\r\n");
        var second = Enumerable.Repeat((byte)'a', 1024).ToArray();
        if (corruptSecondChunk)
        {
            second[10] = (byte)'b';
        }

        body.Write(second);
        Write($"\r\n0;chunk-signature={ChunkSignatures[2]}\r\n");
        Write(trailer ?? "\r\n");
        return body.ToArray();
    }

    public static Account Account => new(AccessKeyId, Secret, "canonical", "example");
}
