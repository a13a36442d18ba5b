using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>
/// Object and bucket tagging through AWSSDK.S3 v4 (default settings): Put/Get/DeleteObjectTagging, x-amz-tagging on
/// PutObject, CopyObject and multipart uploads, x-amz-tagging-count, Put/Get/DeleteBucketTagging, S3's limits. Both backends.
/// </summary>
public abstract class TaggingTests : OneBucketTests
{
    private const int PartSize = 5 * 1024 * 1024;

    protected TaggingTests(R2MetaHost host)
        : base(host, "tag")
    {
    }

    [Fact]
    public async Task PutGetDeleteObjectTagging_RoundTripsAndLeavesTheObjectAlone()
    {
        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "body" });
        var before = await S3.GetObjectMetadataAsync(Bucket, "k");

        var untagged = await TagsAsync("k");
        await S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = Bucket, Key = "k", Tagging = new Tagging { TagSet = [new Tag { Key = "team", Value = "storage" }, new Tag { Key = "b c", Value = "" }] },
        });
        var tagged = await TagsAsync("k");
        using var get = await S3.GetObjectAsync(Bucket, "k");
        var head = await S3.GetObjectMetadataAsync(Bucket, "k");
        using var rawHead = await RawRequests.SendSignedAsync(Host, HttpMethod.Head, $"/{Bucket}/k");
        var deleted = await S3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = Bucket, Key = "k" });
        var after = await TagsAsync("k");
        using var rawHeadAfter = await RawRequests.SendSignedAsync(Host, HttpMethod.Head, $"/{Bucket}/k");

        Assert.Empty(untagged);
        Assert.Equal([("b c", ""), ("team", "storage")], tagged);
        Assert.Equal(2, get.TagCount);
        Assert.Equal("2", Assert.Single(rawHead.Headers.GetValues("x-amz-tagging-count")));
        Assert.Equal(put.ETag, head.ETag);
        Assert.Equal(before.LastModified, head.LastModified);
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
        Assert.Empty(after);
        Assert.False(rawHeadAfter.Headers.Contains("x-amz-tagging-count"));
    }

    [Fact]
    public async Task ObjectTagging_MissingKey_NoSuchKey()
    {
        var get = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "none" }));
        var put = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = Bucket, Key = "none", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "b" }] },
        }));

        Assert.Equal("NoSuchKey", get.ErrorCode);
        Assert.Equal("NoSuchKey", put.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task ObjectTagging_VersionIdNullAccepted_OtherInvalidArgument()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "v", ContentBody = "x" });

        await S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = Bucket, Key = "v", VersionId = "null", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "1" }] },
        });
        var got = await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "v", VersionId = "null" });
        var other = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "v", VersionId = "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY" }));

        Assert.Equal("1", Assert.Single(got.Tagging).Value);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal("InvalidArgument", other.ErrorCode);
    }

    [Theory]
    [InlineData(11, 1, 1, "BadRequest")]
    [InlineData(1, 129, 1, "InvalidTag")]
    [InlineData(1, 1, 257, "InvalidTag")]
    public async Task PutObjectTagging_BeyondS3Limits_RefusedAndUnchanged(int count, int keyLength, int valueLength, string code)
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "limits", ContentBody = "x" });
        var tags = Enumerable.Range(0, count).Select(i => new Tag { Key = i + new string('k', keyLength - 1), Value = new string('v', valueLength) }).ToList();

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = Bucket, Key = "limits", Tagging = new Tagging { TagSet = tags },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(code, error.ErrorCode);
        Assert.Empty(await TagsAsync("limits"));
    }

    [Theory]
    [InlineData("dup", "InvalidTag")]
    [InlineData("aws:system", "InvalidTag")]
    [InlineData("star*", "InvalidTag")]
    public async Task PutObjectTagging_InvalidKey_InvalidTag(string key, string code)
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "bad", ContentBody = "x" });
        List<Tag> tags = key == "dup" ? [new Tag { Key = "d", Value = "1" }, new Tag { Key = "d", Value = "2" }] : [new Tag { Key = key, Value = "v" }];

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = Bucket, Key = "bad", Tagging = new Tagging { TagSet = tags },
        }));

        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task PutObjectTagging_MalformedBody_MalformedXML()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "xml", ContentBody = "x" });

        using var notXml = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}/xml?tagging", new StringContent("<Tagging><TagSet>"));
        using var noValue = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}/xml?tagging", new StringContent("<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>"));

        Assert.Equal(HttpStatusCode.BadRequest, notXml.StatusCode);
        Assert.Equal("MalformedXML", await RawRequests.ErrorCodeAsync(notXml));
        Assert.Equal("MalformedXML", await RawRequests.ErrorCodeAsync(noValue));
    }

    [Fact]
    public async Task PutObject_TagSet_SentAsXAmzTaggingAndStored()
    {
        await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = "put", ContentBody = "x", TagSet = [new Tag { Key = "foo", Value = "bar baz+1" }, new Tag { Key = "ü", Value = "" }],
        });
        using var raw = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}/raw", new StringContent("y"), new Dictionary<string, string> { ["x-amz-tagging"] = "foo=bar&bar" });

        Assert.Equal([("foo", "bar baz+1"), ("ü", "")], await TagsAsync("put"));
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal([("bar", ""), ("foo", "bar")], await TagsAsync("raw"));
    }

    [Theory]
    [InlineData("a=1&a=2", "InvalidArgument")]
    [InlineData("a=%ZZ", "InvalidArgument")]
    [InlineData("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11", "BadRequest")]
    [InlineData("aws%3Ax=1", "InvalidTag")]
    public async Task PutObject_BadXAmzTagging_RefusedAndNothingWritten(string header, string code)
    {
        using var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}/refused", new StringContent("y"), new Dictionary<string, string> { ["x-amz-tagging"] = header });
        var head = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, "refused"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await RawRequests.ErrorCodeAsync(response));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task CopyObject_TaggingDirective_CopyKeepsSourceTagsReplaceTakesNew()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "src", ContentBody = "x", TagSet = [new Tag { Key = "from", Value = "source" }] });

        await S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "src", DestinationBucket = Bucket, DestinationKey = "copied" });
        await S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket, SourceKey = "src", DestinationBucket = Bucket, DestinationKey = "replaced",
            TaggingDirective = TaggingDirective.REPLACE, TagSet = [new Tag { Key = "new", Value = "tag" }],
        });
        await S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket, SourceKey = "src", DestinationBucket = Bucket, DestinationKey = "cleared", TaggingDirective = TaggingDirective.REPLACE,
        });
        using var bad = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}/bad-directive", null,
            new Dictionary<string, string> { ["x-amz-copy-source"] = $"/{Bucket}/src", ["x-amz-tagging-directive"] = "MERGE" });

        Assert.Equal([("from", "source")], await TagsAsync("copied"));
        Assert.Equal([("new", "tag")], await TagsAsync("replaced"));
        Assert.Empty(await TagsAsync("cleared"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("InvalidArgument", await RawRequests.ErrorCodeAsync(bad));
    }

    [Fact]
    public async Task MultipartUpload_TagSetOfCreate_AppliedAtComplete()
    {
        var create = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = Bucket, Key = "mpu", TagSet = [new Tag { Key = "Hello", Value = "World" }, new Tag { Key = "foo", Value = "bar" }],
        });
        var data = RandomNumberGenerator.GetBytes(PartSize + 10);
        var part1 = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "mpu", UploadId = create.UploadId, PartNumber = 1, InputStream = new MemoryStream(data, 0, PartSize) });
        var part2 = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "mpu", UploadId = create.UploadId, PartNumber = 2, InputStream = new MemoryStream(data, PartSize, 10) });
        var untilComplete = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = "mpu" }));
        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "mpu", UploadId = create.UploadId, PartETags = [new PartETag(1, part1.ETag), new PartETag(2, part2.ETag)],
        });

        Assert.Equal("NoSuchKey", untilComplete.ErrorCode);
        Assert.Equal([("Hello", "World"), ("foo", "bar")], await TagsAsync("mpu"));
    }

    [Fact]
    public async Task PutObjectTagging_RacingOverwrites_NeverLosesTheOverwrite()
    {
        // Tagging changes the record it read only if it is still current: a PUT that commits in between keeps its
        // bytes and its own tags, or gets the tagging call's tags as if that came after it. Never the old object back.
        for (var round = 0; round < 8; round++)
        {
            var key = $"race-{round}";
            await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "old", TagSet = [new Tag { Key = "v", Value = "old" }] });
            var taggings = Enumerable.Range(0, 4).Select(i => S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
            {
                BucketName = Bucket, Key = key, Tagging = new Tagging { TagSet = [new Tag { Key = "t", Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }] },
            }));
            var overwrite = S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "new", TagSet = [new Tag { Key = "v", Value = "new" }] });
            await Task.WhenAll([.. taggings, overwrite]);

            using var get = await S3.GetObjectAsync(Bucket, key);
            using var reader = new StreamReader(get.ResponseStream);
            var tags = await TagsAsync(key);

            Assert.Equal("new", await reader.ReadToEndAsync());
            Assert.Equal((await overwrite).ETag, get.ETag);
            Assert.True(tags.SequenceEqual([("v", "new")]) || tags is [("t", _)], string.Join(",", tags));
        }
    }

    [Fact]
    public async Task BucketTagging_NoSuchTagSetUntilPutThenDeleted()
    {
        var before = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = Bucket }));
        var tags = Enumerable.Range(0, 50).Select(i => new Tag { Key = $"k{i:D2}", Value = "v" + i }).ToList();
        await S3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = Bucket, TagSet = tags });
        var got = await S3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = Bucket });
        var deleted = await S3.DeleteBucketTaggingAsync(new DeleteBucketTaggingRequest { BucketName = Bucket });
        var after = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = Bucket }));

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal("NoSuchTagSet", before.ErrorCode);
        Assert.Equal(tags.Select(t => (t.Key, t.Value)), got.TagSet.Select(t => (t.Key, t.Value)));
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
        Assert.Equal("NoSuchTagSet", after.ErrorCode);
    }

    [Fact]
    public async Task PutBucketTagging_FiftyOneTags_BadRequest()
    {
        var tags = Enumerable.Range(0, 51).Select(i => new Tag { Key = $"k{i}", Value = "v" }).ToList();

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = Bucket, TagSet = tags }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("BadRequest", error.ErrorCode);
    }

    [Fact]
    public async Task BucketTagging_MissingBucket_NoSuchBucket()
    {
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = Names.Bucket("none") }));

        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    private async Task<List<(string Key, string Value)>> TagsAsync(string key)
    {
        var response = await S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = Bucket, Key = key });
        return [.. (response.Tagging ?? []).Select(t => (t.Key, t.Value))];
    }
}

public sealed class TablesTaggingTests(TablesHost host) : TaggingTests(host), IClassFixture<TablesHost>;

public sealed class CosmosTaggingTests(CosmosHost host) : TaggingTests(host), IClassFixture<CosmosHost>;
