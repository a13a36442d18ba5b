using System.Text;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Hashing;
using R2Meta.S3.Auth;
using R2Meta.S3.Streaming;
using R2Meta.Unit.Tests.Auth;

namespace R2Meta.Unit.Tests.Streaming;

public sealed class AwsChunkedStreamTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Account Alice = new("AKALICE", "alice-secret", "alice-id", "alice");

    [Theory]
    [InlineData(1, true)]
    [InlineData(1, false)]
    [InlineData(7, true)]
    [InlineData(100_000, true)]
    public async Task DocumentedS3Example_DecodesWithChunkSignaturesVerified(int readSize, bool async)
    {
        var body = S3ChunkedExample.Body();
        var result = AuthenticateExample(body, new OneByteStream(new MemoryStream(body)));

        var decoded = await TestRequests.ReadAllAsync(result.Body, readSize, async);

        Assert.Equal(PayloadMode.StreamingSigned, result.Mode);
        Assert.Equal(66560, result.DecodedContentLength);
        Assert.Equal(S3ChunkedExample.Payload, decoded);
        Assert.Null(result.Trailers);
    }

    [Fact]
    public async Task DocumentedS3Example_SeedSignatureInUpperCase_ChainsChunkSignatures()
    {
        var body = S3ChunkedExample.Body();
        var result = AuthenticateExample(body, new MemoryStream(body), S3ChunkedExample.SeedSignature.ToUpperInvariant());

        Assert.Equal(S3ChunkedExample.Payload, await TestRequests.ReadAllAsync(result.Body));
    }

    [Fact]
    public async Task DocumentedS3Example_CorruptedChunk_IsSignatureDoesNotMatch()
    {
        var body = S3ChunkedExample.Body(corruptSecondChunk: true);
        var result = AuthenticateExample(body, new MemoryStream(body));

        var error = await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(result.Body));

        Assert.Equal(("SignatureDoesNotMatch", 403), (error.Code, error.Status));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(65630)]
    [InlineData(66700)]
    [InlineData(66760)]
    public async Task DocumentedS3Example_Truncated_IsIncompleteBody(int length)
    {
        var body = S3ChunkedExample.Body()[..length];
        var result = AuthenticateExample(body, new MemoryStream(body));

        var error = await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(result.Body));

        Assert.Equal(("IncompleteBody", 400), (error.Code, error.Status));
    }

    [Fact]
    public async Task SignedTrailer_MatchesAwsCrtVector_AndExposesTrailers()
    {
        var trailer = $"first:1st\r\nsecond:2nd\r\nthird:3rd\r\nx-amz-trailer-signature:{S3ChunkedExample.TrailerSignature}\r\n\r\n";
        using var stream = ExampleStream(S3ChunkedExample.Body(trailer: trailer), expectTrailer: true);

        Assert.Equal(S3ChunkedExample.Payload, await TestRequests.ReadAllAsync(new OneByteStream(stream), 3));
        Assert.Equal("2nd", stream.Trailers["second"]);
        Assert.Equal(3, stream.Trailers.Count);
    }

    [Theory]
    [InlineData("first:1st\r\nsecond:2nd\r\nthird:3rd!\r\nx-amz-trailer-signature:{0}\r\n\r\n")]
    [InlineData("first:1st\r\nsecond:2nd\r\nthird:3rd\r\n\r\n")]
    public async Task SignedTrailer_TamperedOrUnsigned_IsSignatureDoesNotMatch(string trailerFormat)
    {
        using var stream = ExampleStream(S3ChunkedExample.Body(trailer: string.Format(System.Globalization.CultureInfo.InvariantCulture, trailerFormat, S3ChunkedExample.TrailerSignature)), expectTrailer: true);

        var error = await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(stream));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Empty(stream.Trailers);
    }

    [Fact]
    public async Task UnsignedTrailer_SdkDefaultPut_VerifiesCrc32Trailer()
    {
        var payload = Encoding.UTF8.GetBytes(new string('x', 70_000));
        var crc = Checksums.ComputeBase64(Checksums.Crc32, payload);
        var body = ChunkedBodies.Encode([payload[..65536], payload[65536..]], [("x-amz-checksum-crc32", crc)], signing: null);
        var request = TrailerRequest(body, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-crc32", payload.Length);

        var auth = Authenticate(request);
        await using var upload = ObjectBodyStream.Create(request, auth);
        var decoded = await TestRequests.ReadAllAsync(upload, 1000);

        Assert.Equal(PayloadMode.StreamingUnsignedTrailer, auth.Mode);
        Assert.Equal(payload, decoded);
        Assert.Equal(("CRC32", crc), (upload.ChecksumAlgorithm, upload.ChecksumBase64));
        Assert.Equal(System.Security.Cryptography.MD5.HashData(payload), upload.Md5);
        Assert.Equal(crc, auth.Trailers!.Trailers["x-amz-checksum-crc32"]);
    }

    [Fact]
    public async Task UnsignedTrailer_WrongChecksum_IsBadDigest()
    {
        var payload = Encoding.UTF8.GetBytes("hello world");
        var body = ChunkedBodies.Encode([payload], [("x-amz-checksum-crc32", Checksums.ComputeBase64(Checksums.Crc32, "hello worle"u8))], signing: null);
        var request = TrailerRequest(body, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-crc32", payload.Length);
        await using var upload = ObjectBodyStream.Create(request, Authenticate(request));

        var error = await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(upload));

        Assert.Equal(("BadDigest", 400, "The CRC32 you specified did not match the calculated checksum."), (error.Code, error.Status, error.Message));
    }

    [Fact]
    public async Task SignedTrailer_ThroughAuthenticator_VerifiesChunksTrailerAndCrc32C()
    {
        var payload = Enumerable.Range(0, 20_000).Select(i => (byte)i).ToArray();
        var crc = Checksums.ComputeBase64(Checksums.Crc32C, payload);
        var request = TrailerRequest([], "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "x-amz-checksum-crc32c", payload.Length);
        var body = ChunkedBodies.Encode([payload[..8192], payload[8192..16384], payload[16384..]], [("x-amz-checksum-crc32c", crc)], ChunkedBodies.For(request, Alice));
        request.Body = new OneByteStream(new MemoryStream(body));

        var auth = Authenticate(request);
        await using var upload = ObjectBodyStream.Create(request, auth);

        Assert.Equal(payload, await TestRequests.ReadAllAsync(upload, 333, async: false));
        Assert.Equal(PayloadMode.StreamingSignedTrailer, auth.Mode);
        Assert.Equal(crc, upload.ChecksumBase64);
    }

    [Fact]
    public async Task UnsignedChunks_MalformedSize_IsIncompleteBody()
    {
        var request = TrailerRequest(Encoding.ASCII.GetBytes("zz\r\nhello\r\n0\r\n\r\n"), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", null, 5);

        var error = await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(Authenticate(request).Body));

        Assert.Equal("IncompleteBody", error.Code);
    }

    [Fact]
    public async Task UnsignedChunks_DataLongerThanSize_IsIncompleteBody()
    {
        var request = TrailerRequest(Encoding.ASCII.GetBytes("3\r\nhello\r\n0\r\n\r\n"), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", null, 5);

        var error = await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(Authenticate(request).Body));

        Assert.Equal("IncompleteBody", error.Code);
    }

    private static HttpRequest TrailerRequest(byte[] body, string contentSha256, string? trailer, long decodedLength)
    {
        List<(string, string)> headers =
        [
            ("Host", "localhost:5000"), ("Content-Encoding", "aws-chunked"), ("x-amz-decoded-content-length", decodedLength.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        if (trailer is not null)
        {
            headers.Add(("x-amz-trailer", trailer));
        }

        var request = TestRequests.Create("PUT", "/bucket/key", headers, body);
        TestRequests.SignHeader(request, Alice, Now, contentSha256);
        return request;
    }

    private static AuthResult Authenticate(HttpRequest request) =>
        new SigV4Authenticator(AccountDirectory.Parse("AKALICE:alice-secret"), new FixedTime(Now)).Authenticate(request);

    private static AuthResult AuthenticateExample(byte[] body, Stream bodyStream, string seedSignature = S3ChunkedExample.SeedSignature)
    {
        var request = TestRequests.Create("PUT", "/examplebucket/chunkObject.txt",
        [
            ("Host", "s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), ("Content-Encoding", "aws-chunked"), ("x-amz-decoded-content-length", "66560"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=" + seedSignature),
        ], body, bodyStream);
        request.ContentLength = 66824;
        var directory = AccountDirectory.Parse($"{S3ChunkedExample.AccessKeyId}:{S3ChunkedExample.Secret}");
        return new SigV4Authenticator(directory, new FixedTime(S3ChunkedExample.Time)).Authenticate(request);
    }

    private static AwsChunkedStream ExampleStream(byte[] body, bool expectTrailer)
    {
        var key = SigV4Signer.SigningKey(S3ChunkedExample.Secret, "20130524", "us-east-1", "s3");
        var verifier = new ChunkSignatureVerifier(key, "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", S3ChunkedExample.SeedSignature);
        return new AwsChunkedStream(new MemoryStream(body), verifier, expectTrailer);
    }
}
