using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Forms;

/// <summary>
/// PostObject, the browser form upload, over raw HTTP with a POST policy signed in the test and through
/// AWSSDK.S3 v4's CreatePresignedPost; objects are read back through the SDK. Runs on both backends.
/// </summary>
public abstract class PostObjectTests : OneBucketTests
{
    protected PostObjectTests(R2MetaHost host)
        : base(host, "post")
    {
    }

    private Uri Url => PostForms.BucketUrl(Host, Bucket);

    [Fact]
    public async Task PostObject_SignedPolicy201_PostResponseAndObjectReadsBackWithMetadata()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        var fields = PostForms.Sign(
            [new("key", "docs/report.bin"), new("Content-Type", "application/pdf"), new("Cache-Control", "max-age=60"),
                new("Content-Disposition", "attachment"), new("x-amz-meta-owner", "eric"), new("success_action_status", "201")],
            [$$"""{"bucket": "{{Bucket}}"}""", """["starts-with", "$key", "docs/"]""", """["starts-with", "$Content-Type", "application/"]""",
                """{"cache-control": "max-age=60"}""", """["eq", "$Content-Disposition", "attachment"]""", """["starts-with", "$x-amz-meta-owner", ""]""",
                """{"success_action_status": "201"}""", """["content-length-range", 1, 1048576]"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream(data));
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        var etag = $"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"";
        using var get = await S3.GetObjectAsync(Bucket, "docs/report.bin");
        using var read = new MemoryStream();
        await get.ResponseStream.CopyToAsync(read);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("PostResponse", xml.Name.LocalName);
        Assert.Equal(Bucket, xml.Element("Bucket")?.Value);
        Assert.Equal("docs/report.bin", xml.Element("Key")?.Value);
        Assert.Equal(etag, xml.Element("ETag")?.Value);
        Assert.Equal(new Uri(Url, $"/{Bucket}/docs/report.bin").ToString(), xml.Element("Location")?.Value);
        Assert.Equal(etag, response.Headers.ETag?.ToString());
        Assert.Equal(data, read.ToArray());
        Assert.Equal(etag, get.ETag);
        Assert.Equal("application/pdf", get.Headers.ContentType);
        Assert.Equal("max-age=60", get.Headers.CacheControl);
        Assert.Equal("attachment", get.Headers.ContentDisposition);
        Assert.Equal("eric", get.Metadata["x-amz-meta-owner"]);
    }

    [Fact]
    public async Task PostObject_FilenamePlaceholderAndDefaultStatus_204WithKeyFromFileName()
    {
        var fields = PostForms.Sign([new("key", "uploads/${filename}")], [$$"""{"bucket": "{{Bucket}}"}""", """["starts-with", "$key", "uploads/"]"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("hello"u8.ToArray()), "cat.jpg");
        var head = await S3.GetObjectMetadataAsync(Bucket, "uploads/cat.jpg");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(5, head.ContentLength);
        Assert.EndsWith($"/{Bucket}/uploads/cat.jpg", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostObject_SuccessActionRedirect_303WithBucketKeyEtag()
    {
        var fields = PostForms.Sign(
            [new("key", "r"), new("success_action_redirect", "https://app.example/done?x=1")],
            [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "r"}""", """["starts-with", "$success_action_redirect", "https://app.example/"]"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));
        var etag = $"\"{Convert.ToHexStringLower(MD5.HashData("x"u8))}\"";

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"https://app.example/done?x=1&bucket={Bucket}&key=r&etag={Uri.EscapeDataString(etag)}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task PostObject_ChecksumAndMd5Fields_VerifiedAndStored()
    {
        var data = "checked"u8.ToArray();
        var sha256 = Convert.ToBase64String(SHA256.HashData(data));
        var fields = PostForms.Sign(
            [new("key", "c"), new("Content-MD5", Convert.ToBase64String(MD5.HashData(data))), new("x-amz-checksum-sha256", sha256)],
            [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "c"}""", """["starts-with", "$Content-MD5", ""]""", """["starts-with", "$x-amz-checksum-sha256", ""]"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream(data));
        var attributes = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = "c", ChecksumMode = ChecksumMode.ENABLED });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(sha256, attributes.ChecksumSHA256);
    }

    [Fact]
    public async Task PostObject_Md5Mismatch_BadDigestAndNothingWritten()
    {
        var fields = PostForms.Sign(
            [new("key", "bad"), new("Content-MD5", Convert.ToBase64String(MD5.HashData("other"u8)))],
            [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "bad"}""", """["starts-with", "$Content-MD5", ""]"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("data"u8.ToArray()));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "BadDigest");
        await AssertMissingAsync("bad");
    }

    [Theory]
    [InlineData(1001, 0, 1000, "EntityTooLarge")]
    [InlineData(3, 10, 1000, "EntityTooSmall")]
    public async Task PostObject_OutsideContentLengthRange_RefusedAndNothingWritten(int size, int min, int max, string code)
    {
        var fields = PostForms.Sign([new("key", "sized")], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "sized"}""", $"""["content-length-range", {min}, {max}]"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream(new byte[size]));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, code);
        await AssertMissingAsync("sized");
    }

    [Fact]
    public async Task PostObject_ExpiredPolicy_AccessDeniedPolicyExpired()
    {
        var fields = PostForms.Sign([new("key", "k")], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "k"}"""], DateTimeOffset.UtcNow.AddMinutes(-1));

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));

        Assert.Equal("Invalid according to Policy: Policy expired.", await AssertErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied"));
    }

    [Fact]
    public async Task PostObject_FieldNotInPolicy_AccessDeniedExtraInputFields()
    {
        var fields = PostForms.Sign([new("key", "k"), new("x-amz-meta-sneaky", "1")], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "k"}"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));

        Assert.Equal("Invalid according to Policy: Extra input fields: x-amz-meta-sneaky", await AssertErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied"));
    }

    [Fact]
    public async Task PostObject_KeyOutsidePolicy_AccessDeniedConditionFailed()
    {
        var fields = PostForms.Sign([new("key", "elsewhere/k")], [$$"""{"bucket": "{{Bucket}}"}""", """["starts-with", "$key", "mine/"]"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));

        Assert.StartsWith("Invalid according to Policy: Policy Condition failed:", await AssertErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostObject_PolicyForAnotherBucket_AccessDenied()
    {
        var fields = PostForms.Sign([new("key", "k")], ["""{"bucket": "some-other-bucket"}""", """{"key": "k"}"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task PostObject_TamperedField_SignatureDoesNotMatch()
    {
        var fields = PostForms.Sign([new("key", "k")], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "k"}"""]);
        var index = fields.FindIndex(f => f.Key == "x-amz-signature");
        fields[index] = new("x-amz-signature", new string('a', 64));

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task PostObject_OtherAccountsBucket_AccessDenied()
    {
        var fields = PostForms.Sign([new("key", "k")], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "k"}"""], accessKey: TestAccounts.SecondKey, secret: TestAccounts.SecondSecret);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied");
        await AssertMissingAsync("k");
    }

    [Fact]
    public async Task PostObject_Anonymous_AccessDeniedOrNoSuchBucket()
    {
        using var existing = await PostForms.PostAsync(Url, [new("key", "k")], new MemoryStream("x"u8.ToArray()));
        using var missing = await PostForms.PostAsync(PostForms.BucketUrl(Host, Names.Bucket("none")), [new("key", "k")], new MemoryStream("x"u8.ToArray()));

        await AssertErrorAsync(existing, HttpStatusCode.Forbidden, "AccessDenied");
        await AssertErrorAsync(missing, HttpStatusCode.NotFound, "NoSuchBucket");
    }

    [Fact]
    public async Task PostObject_SigV2Fields_InvalidRequest()
    {
        using var response = await PostForms.PostAsync(Url, [new("key", "k"), new("AWSAccessKeyId", TestAccounts.FirstKey), new("policy", "e30="), new("signature", "abc=")], new MemoryStream("x"u8.ToArray()));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "InvalidRequest");
    }

    [Fact]
    public async Task PostObject_AclPublicRead_NotImplemented()
    {
        var fields = PostForms.Sign([new("key", "k"), new("acl", "public-read")], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "k"}""", """{"acl": "public-read"}"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));

        await AssertErrorAsync(response, HttpStatusCode.NotImplemented, "NotImplemented");
    }

    [Fact]
    public async Task PostObject_TaggingField_TagsStoredWithTheObject()
    {
        const string Tagging = "<Tagging><TagSet><Tag><Key>1</Key><Value>one</Value></Tag><Tag><Key>0</Key><Value></Value></Tag></TagSet></Tagging>";
        var fields = PostForms.Sign([new("key", "tagged"), new("tagging", Tagging)], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "tagged"}""", """["starts-with", "$tagging", ""]"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));
        var tags = await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "tagged" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([("0", ""), ("1", "one")], tags.Tagging.Select(t => (t.Key, t.Value)));
    }

    [Theory]
    [InlineData("0=zero", "MalformedXML")]
    [InlineData("<Tagging><TagSet><Tag><Key>aws:x</Key><Value>v</Value></Tag></TagSet></Tagging>", "InvalidTag")]
    public async Task PostObject_BadTaggingField_RefusedAndNothingWritten(string tagging, string code)
    {
        var fields = PostForms.Sign([new("key", "badtags"), new("tagging", tagging)], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "badtags"}""", """["starts-with", "$tagging", ""]"""]);

        using var response = await PostForms.PostAsync(Url, fields, new MemoryStream("x"u8.ToArray()));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, code);
        var head = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, "badtags"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task PostObject_NoFilePart_IncorrectNumberOfFiles()
    {
        var fields = PostForms.Sign([new("key", "k")], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "k"}"""]);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        using var response = await RawRequests.SendAsync(new HttpRequestMessage(HttpMethod.Post, Url) { Content = content });

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "IncorrectNumberOfFilesInPostRequest");
    }

    [Fact]
    public async Task PostObject_NotMultipart_PreconditionFailed()
    {
        using var response = await RawRequests.SendAsync(new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent("key=k", Encoding.UTF8, "application/x-www-form-urlencoded") });

        await AssertErrorAsync(response, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
    }

    [Fact]
    public async Task PostObject_FieldsOverTwentyKilobytes_MaxPostPreDataLengthExceeded()
    {
        using var response = await PostForms.PostAsync(Url, [new("key", "k"), new("x-ignore-padding", new string('p', 21 * 1024))], new MemoryStream("x"u8.ToArray()));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "MaxPostPreDataLengthExceededError");
    }

    [Fact]
    public async Task CreatePresignedPost_AwsSdk_FormUploadsAndReadsBack()
    {
        var presigned = await S3.CreatePresignedPostAsync(new CreatePresignedPostRequest
        {
            BucketName = Bucket,
            Key = "sdk/${filename}",
            Expires = DateTime.UtcNow.AddMinutes(10),
            Fields = new Dictionary<string, string> { ["x-amz-meta-source"] = "sdk" },
            Conditions = [S3PostCondition.StartsWith("key", "sdk/"), S3PostCondition.ExactMatch("x-amz-meta-source", "sdk"), S3PostCondition.ContentLengthRange(1, 1024)],
        });
        var data = "from the sdk"u8.ToArray();

        using var response = await PostForms.PostAsync(new Uri(presigned.Url), presigned.Fields, new MemoryStream(data), "note.txt");
        using var get = await S3.GetObjectAsync(Bucket, "sdk/note.txt");
        using var read = new MemoryStream();
        await get.ResponseStream.CopyToAsync(read);

        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal(data, read.ToArray());
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", get.ETag);
        Assert.Equal("sdk", get.Metadata["x-amz-meta-source"]);
    }

    /// <summary>Asserts the S3 error and returns its message.</summary>
    internal static async Task<string?> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        var root = XDocument.Parse(text).Root!;
        Assert.Equal(code, root.Element("Code")?.Value);
        return root.Element("Message")?.Value;
    }

    private async Task AssertMissingAsync(string key)
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, key));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
    }
}

public sealed class TablesPostObjectTests(TablesHost host) : PostObjectTests(host), IClassFixture<TablesHost>;

public sealed class CosmosPostObjectTests(CosmosHost host) : PostObjectTests(host), IClassFixture<CosmosHost>;
