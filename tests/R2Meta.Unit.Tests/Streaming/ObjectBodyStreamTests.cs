using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Hashing;
using R2Meta.S3.Auth;
using R2Meta.S3.Streaming;
using R2Meta.Unit.Tests.Auth;

namespace R2Meta.Unit.Tests.Streaming;

public sealed class ObjectBodyStreamTests
{
    private static readonly byte[] Payload = "The quick brown fox jumps over the lazy dog"u8.ToArray();

    [Fact]
    public async Task Read_NoIntegrityHeaders_CountsBytesAndComputesMd5()
    {
        await using var body = Create([]);

        Assert.Equal(Payload, await TestRequests.ReadAllAsync(body, 5));
        Assert.Equal(Payload.Length, body.BytesRead);
        Assert.Equal("9e107d9d372bb6826bd81d3542a419d6", Convert.ToHexStringLower(body.Md5));
        Assert.Null(body.ChecksumAlgorithm);
    }

    [Fact]
    public async Task Read_ContentMd5Matches_Succeeds()
    {
        await using var body = Create([("Content-MD5", Convert.ToBase64String(MD5.HashData(Payload)))]);

        Assert.Equal(Payload, await TestRequests.ReadAllAsync(body));
    }

    [Fact]
    public async Task Read_ContentMd5Differs_IsBadDigest()
    {
        await using var body = Create([("Content-MD5", Convert.ToBase64String(MD5.HashData("other"u8)))]);

        Assert.Equal("BadDigest", (await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(body))).Code);
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("AAAA")]
    public void Create_MalformedContentMd5_IsInvalidDigest(string value) =>
        Assert.Equal("InvalidDigest", TestRequests.Error(() => Create([("Content-MD5", value)])).Code);

    [Theory]
    [InlineData(Checksums.Crc32)]
    [InlineData(Checksums.Crc32C)]
    [InlineData(Checksums.Crc64Nvme)]
    [InlineData(Checksums.Sha1)]
    [InlineData(Checksums.Sha256)]
    public async Task Read_ChecksumHeaderMatches_ExposesChecksum(string algorithm)
    {
        var expected = Checksums.ComputeBase64(algorithm, Payload);
        await using var body = Create([(Checksums.HeaderName(algorithm), expected)]);

        await TestRequests.ReadAllAsync(body);

        Assert.Equal((algorithm, expected), (body.ChecksumAlgorithm, body.ChecksumBase64));
    }

    [Theory]
    [InlineData(Checksums.Crc32, "The CRC32 you specified did not match the calculated checksum.")]
    [InlineData(Checksums.Sha256, "The SHA256 you specified did not match the calculated checksum.")]
    public async Task Read_ChecksumHeaderDiffers_IsBadDigest(string algorithm, string message)
    {
        await using var body = Create([(Checksums.HeaderName(algorithm), Checksums.ComputeBase64(algorithm, "other"u8))]);

        var error = await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(body));

        Assert.Equal(("BadDigest", 400, message), (error.Code, error.Status, error.Message));
    }

    [Fact]
    public void Create_TwoChecksumHeaders_IsInvalidRequest() =>
        Assert.Equal("InvalidRequest", TestRequests.Error(() => Create(
        [
            ("x-amz-checksum-crc32", Checksums.ComputeBase64(Checksums.Crc32, Payload)),
            ("x-amz-checksum-sha1", Checksums.ComputeBase64(Checksums.Sha1, Payload)),
        ])).Code);

    [Theory]
    [InlineData("x-amz-checksum-crc32", "DUoRhQ")]
    [InlineData("x-amz-sdk-checksum-algorithm", "MD5")]
    [InlineData("x-amz-trailer", "x-amz-checksum-crc32")]
    public void Create_InvalidChecksumRequest_IsInvalidRequest(string header, string value) =>
        Assert.Equal("InvalidRequest", TestRequests.Error(() => Create([(header, value)])).Code);

    [Fact]
    public async Task Read_SdkChecksumAlgorithmWithoutValue_ComputesIt()
    {
        await using var body = Create([("x-amz-sdk-checksum-algorithm", "crc64nvme")]);

        await TestRequests.ReadAllAsync(body);

        Assert.Equal((Checksums.Crc64Nvme, Checksums.ComputeBase64(Checksums.Crc64Nvme, Payload)), (body.ChecksumAlgorithm, body.ChecksumBase64));
    }

    [Fact]
    public async Task Read_BodyShorterThanDeclared_IsIncompleteBody()
    {
        await using var body = Create([], declaredLength: Payload.Length + 1);

        Assert.Equal("IncompleteBody", (await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(body))).Code);
    }

    [Fact]
    public async Task Read_BodyLongerThanDeclared_IsIncompleteBody()
    {
        await using var body = Create([], declaredLength: Payload.Length - 1);

        Assert.Equal("IncompleteBody", (await TestRequests.ErrorAsync(() => TestRequests.ReadAllAsync(body))).Code);
    }

    [Fact]
    public void Md5_BeforeEnd_Throws()
    {
        using var body = Create([]);

        Assert.Throws<InvalidOperationException>(() => body.Md5);
    }

    private static ObjectBodyStream Create(IEnumerable<(string, string)> headers, long? declaredLength = null)
    {
        HttpRequest request = TestRequests.Create("PUT", "/bucket/key", [("Host", "localhost"), .. headers], Payload);
        var auth = new AuthResult(AccountDirectory.DevelopmentAccount, PayloadMode.Unsigned, request.Body, declaredLength ?? Payload.Length, null);
        return ObjectBodyStream.Create(request, auth);
    }
}
