using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>
/// Uploads that are wrong in every way a client can get them wrong: each gets its 4xx S3 error,
/// nothing half-written becomes visible, the previous version stays intact and no blob is left.
/// </summary>
public abstract class BadObjectInputTests : IAsyncLifetime
{
    private const string Key = "precious";
    private const string Original = "the original, intact";
    private readonly R2MetaHost _host;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = Names.Bucket("bad");

    protected BadObjectInputTests(R2MetaHost host)
    {
        _host = host;
        _s3 = S3Clients.PathStyle(host);
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = Key, ContentBody = Original });
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task KeyOver1024Bytes_KeyTooLongError()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = new string('é', 513), ContentBody = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("KeyTooLongError", e.ErrorCode);
        await AssertIntactAsync();
    }

    [Fact]
    public async Task KeyNotValidUtf8_InvalidUri()
    {
        var response = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, $"/{_bucket}/bad%FF%FEkey", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidURI", await RawRequests.ErrorCodeAsync(response));
        await AssertIntactAsync();
    }

    /// <summary>A key with a C1 control character (valid UTF-8) is a URI S3 cannot parse: 400 InvalidURI, for writes and reads.</summary>
    [Theory]
    [InlineData("PUT")]
    [InlineData("GET")]
    public async Task KeyWithC1ControlCharacter_InvalidUri(string method)
    {
        using var response = await RawRequests.SendSignedAsync(_host, new HttpMethod(method), $"/{_bucket}/%C2%AE%C2%8A-",
            method == "PUT" ? new ByteArrayContent([1, 2, 3]) : null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidURI", await RawRequests.ErrorCodeAsync(response));
        await AssertIntactAsync();
    }

    /// <summary>Reads too: an invalid key is a malformed URI (400), not a key that does not exist (404).</summary>
    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("DELETE")]
    public async Task ReadOrDeleteKeyNotValidUtf8_InvalidUri(string method)
    {
        using var response = await RawRequests.SendSignedAsync(_host, new HttpMethod(method), $"/{_bucket}/bad%C3%28key");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (method != "HEAD")
        {
            Assert.Equal("InvalidURI", await RawRequests.ErrorCodeAsync(response));
        }

        await AssertIntactAsync();
    }

    [Fact]
    public async Task WrongContentMd5_BadDigest()
    {
        var wrong = Convert.ToBase64String(MD5.HashData("something else"u8));
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = Key, ContentBody = "replacement", MD5Digest = wrong }));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("BadDigest", e.ErrorCode);
        await AssertIntactAsync();
    }

    [Fact]
    public async Task WrongChecksum_BadDigest()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = Key, ContentBody = "replacement", ChecksumCRC32 = "AAAAAA==" }));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("BadDigest", e.ErrorCode);
        await AssertIntactAsync();
    }

    [Fact]
    public async Task ContentLengthLargerThanBody_RequestTimeout()
    {
        // The client stops sending but keeps the connection: S3 answers 400 RequestTimeout once it gives up waiting.
        var status = await RawSocket.PutAsync(_host, $"/{_bucket}/{Key}", declaredLength: 100, body: "only ten b"u8.ToArray(), abort: false);
        Assert.Equal(400, status);
        await AssertIntactAsync();
    }

    [Fact]
    public async Task ContentLengthSmallerThanBody_WithMd5OfWholeBody_BadDigest()
    {
        var body = "twenty bytes of body"u8.ToArray();
        var md5 = Convert.ToBase64String(MD5.HashData(body));
        var status = await RawSocket.PutAsync(_host, $"/{_bucket}/{Key}", declaredLength: 10, body: body, abort: false, headers: new Dictionary<string, string> { ["Content-MD5"] = md5 });
        Assert.Equal(400, status);
        await AssertIntactAsync();
    }

    [Fact]
    public async Task ClientDisconnectsMidUpload_NothingVisibleAndNoBlobLeft()
    {
        await RawSocket.PutAsync(_host, $"/{_bucket}/{Key}", declaredLength: 4 * 1024 * 1024, body: new byte[256 * 1024], abort: true);
        await RawSocket.PutAsync(_host, $"/{_bucket}/new-key", declaredLength: 4 * 1024 * 1024, body: new byte[256 * 1024], abort: true);
        await AssertIntactAsync();
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(_bucket, "new-key"));

        // The aborted writes' blobs are cleaned up once the server notices the disconnect.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<string> blobs;
        do
        {
            await Task.Delay(250);
            blobs = [];
            await foreach (var blob in _host.Blobs.ListAsync(_bucket + "/"))
            {
                blobs.Add(blob.Name);
            }
        }
        while (blobs.Count > 1 && DateTime.UtcNow < deadline);

        Assert.Single(blobs);
    }

    [Fact]
    public async Task MetadataOver2KB_MetadataTooLarge()
    {
        var request = new PutObjectRequest { BucketName = _bucket, Key = Key, ContentBody = "replacement" };
        request.Metadata.Add("big", new string('m', 2100));
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(request));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("MetadataTooLarge", e.ErrorCode);
        await AssertIntactAsync();
    }

    private async Task AssertIntactAsync()
    {
        using var get = await _s3.GetObjectAsync(_bucket, Key);
        using var reader = new StreamReader(get.ResponseStream, Encoding.UTF8);
        Assert.Equal(Original, await reader.ReadToEndAsync());
    }
}

public sealed class TablesBadObjectInputTests(TablesHost host) : BadObjectInputTests(host), IClassFixture<TablesHost>;

public sealed class CosmosBadObjectInputTests(CosmosHost host) : BadObjectInputTests(host), IClassFixture<CosmosHost>;
