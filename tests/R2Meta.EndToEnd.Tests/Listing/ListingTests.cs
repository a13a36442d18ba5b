using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Listing;

/// <summary>ListObjectsV2, ListObjects and ListObjectVersions over the wire, once per backend (subclasses at the end).</summary>
public abstract class ListingTests
{
    private static readonly string[] EdgeKeys =
        ["photos", "photos/", "photos/2024/a", "photos/2024/b", "photos/x", "photosz", "a--b--c", "a--", "a-b", "\U0001F600/x", "\uE000", "\uFFFD"];

    private readonly R2MetaHost _host;

    protected ListingTests(R2MetaHost host) => _host = host;

    public static TheoryData<string?, string?, int, string?, string[]> EdgeCases => new()
    {
        // A key equal to the prefix is a key; a key ending in the delimiter rolls into its own common prefix.
        { "photos", "/", 1000, null, ["photos", "photos/", "photosz"] },
        { "photos", "/", 1, null, ["photos", "photos/", "photosz"] },
        { "photos/", "/", 1, null, ["photos/", "photos/2024/", "photos/x"] },
        // Multi-character delimiter.
        { null, "--", 2, null, ["a--", "a-b", "photos", "photos/", "photos/2024/a", "photos/2024/b", "photos/x", "photosz", "\uE000", "\uFFFD", "\U0001F600/x"] },
        // UTF-8 order: U+E000 < U+FFFD < U+1F600 (UTF-16 order would put the emoji first).
        { null, "/", 1, null, ["a--", "a--b--c", "a-b", "photos", "photos/", "photosz", "\uE000", "\uFFFD", "\U0001F600/"] },
        // A prefix not ending in the delimiter.
        { "pho", "/", 1000, null, ["photos", "photos/", "photosz"] },
        { null, null, 3, "photos/x", ["photosz", "\uE000", "\uFFFD", "\U0001F600/x"] },
        // start-after a common prefix skips it whole; beyond the last key: nothing.
        { null, "/", 1000, "photos/", ["photosz", "\uE000", "\uFFFD", "\U0001F600/"] },
        { null, null, 1000, "\U0001F601", [] },
    };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public async Task ListObjectsV2_EdgeCasesPagedWithTokens_ReturnEveryEntryOnceInUtf8Order(string? prefix, string? delimiter, int maxKeys, string? startAfter, string[] expected)
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = await NewBucketAsync(s3, EdgeKeys);

        var names = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, Delimiter = delimiter, MaxKeys = maxKeys, StartAfter = startAfter };
        for (var pages = 0; pages < 50; pages++)
        {
            var page = await s3.ListObjectsV2Async(request);
            var entries = (page.S3Objects ?? []).Select(o => o.Key).Concat(page.CommonPrefixes ?? []).ToList();
            Assert.Equal(entries.Count, page.KeyCount);
            Assert.True(entries.Count <= maxKeys);
            names.AddRange(entries);
            if (page.IsTruncated != true)
            {
                Assert.Null(page.NextContinuationToken);
                break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }

        // Contents and common prefixes come in separate lists per page; compare as sets per listing, order checked by the V1/versions tests.
        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListObjectsV2_MaxKeysZero_EmptyAndNotTruncated()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = await NewBucketAsync(s3, "a", "b");
        var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 0 });
        Assert.Empty(page.S3Objects ?? []);
        Assert.False(page.IsTruncated);
        Assert.Equal(0, page.KeyCount);
    }

    [Fact]
    public async Task ListObjectsV2_ObjectsPutThroughS3_AreListedWithTheirMetadata()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("list");
        await s3.PutBucketAsync(bucket);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dir/hello.txt", ContentBody = "hello" });

        var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        var listed = Assert.Single(page.S3Objects);
        Assert.Equal("dir/hello.txt", listed.Key);
        Assert.Equal(5, listed.Size);
        Assert.Equal(put.ETag, listed.ETag);
        Assert.Equal("STANDARD", listed.StorageClass?.Value);
        Assert.Null(listed.Owner);
    }

    [Fact]
    public async Task ListObjectsV2_FetchOwner_ReturnsTheBucketOwner()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = await NewBucketAsync(s3, "k");
        var without = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Null(Assert.Single(without.S3Objects).Owner);
        var with = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, FetchOwner = true });
        var owner = Assert.Single(with.S3Objects).Owner;
        Assert.Equal(TestAccounts.FirstCanonicalId, owner.Id);
        Assert.Equal("first-user", owner.DisplayName);
    }

    [Fact]
    public async Task ListObjectsV2_ForgedOrForeignContinuationToken_InvalidArgument()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = await NewBucketAsync(s3, "a", "b", "c");
        var other = await NewBucketAsync(s3, "a", "b", "c");
        var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1 });
        var token = page.NextContinuationToken!;
        // Change one character in the middle of the MAC: still base64url, no longer signed by us.
        var tampered = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];

        foreach (var (target, candidate) in new[] { (bucket, "garbage"), (bucket, tampered), (other, token) })
        {
            var e = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
                s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = target, ContinuationToken = candidate }));
            Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
            Assert.Equal("InvalidArgument", e.ErrorCode);
            Assert.Equal("The continuation token provided is incorrect", e.Message);
        }

        var resumed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token });
        Assert.Equal(["b", "c"], resumed.S3Objects.Select(o => o.Key));
        Assert.Equal(token, resumed.ContinuationToken);
    }

    [Fact]
    public async Task ListObjects_V1_NextMarkerOnlyWithDelimiter_OwnerAlways()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = await NewBucketAsync(s3, "a", "b/1", "b/2", "c");

        var plain = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, MaxKeys = 2 });
        Assert.Equal(["a", "b/1"], plain.S3Objects.Select(o => o.Key));
        Assert.True(plain.IsTruncated);
        Assert.All(plain.S3Objects, o => Assert.Equal(TestAccounts.FirstCanonicalId, o.Owner.Id));
        // The SDK fills NextMarker from the last key itself, so look at the wire: no NextMarker without a delimiter.
        var (raw, _) = await ListingSeed.GetAsync(_host, $"/{bucket}?max-keys=2");
        Assert.Equal("true", ListingSeed.Value(raw, "IsTruncated"));
        Assert.Null(ListingSeed.Value(raw, "NextMarker"));
        Assert.Equal(["first-user", "first-user"], ListingSeed.Values(raw, "Contents/Owner/DisplayName"));

        var names = new List<string>();
        string? marker = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Delimiter = "/", MaxKeys = 1, Marker = marker });
            names.AddRange((page.S3Objects ?? []).Select(o => o.Key).Concat(page.CommonPrefixes ?? []));
            if (page.IsTruncated != true)
            {
                Assert.Null(page.NextMarker);
                break;
            }

            Assert.Equal(names[^1], page.NextMarker);
            marker = page.NextMarker;
        }

        Assert.Equal(["a", "b/", "c"], names);
    }

    [Fact]
    public async Task ListVersions_UnversionedBucket_EveryKeyIsItsNullLatestVersion()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = await NewBucketAsync(s3, "a", "b/1", "b/2", "c", "d");

        var names = new List<string>();
        var request = new ListVersionsRequest { BucketName = bucket, Delimiter = "/", MaxKeys = 2 };
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await s3.ListVersionsAsync(request);
            Assert.All(page.Versions ?? [], v =>
            {
                Assert.Equal("null", v.VersionId);
                Assert.True(v.IsLatest);
                Assert.Equal(TestAccounts.FirstCanonicalId, v.Owner.Id);
            });
            names.AddRange((page.Versions ?? []).Select(v => v.Key).Concat(page.CommonPrefixes ?? []));
            if (page.IsTruncated != true)
            {
                break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }

        Assert.Equal(["a", "b/", "c", "d"], names);

        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, KeyMarker = "a", VersionIdMarker = "v123" }));
        Assert.Equal("InvalidArgument", e.ErrorCode);
    }

    [Fact]
    public async Task ListVersions_CleaningABucketThroughIt_EmptiesTheBucket()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("list");
        await s3.PutBucketAsync(bucket);
        foreach (var key in new[] { "x/1", "x/2", "y", "z z" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });
        }

        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        foreach (var v in versions.Versions)
        {
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = v.Key, VersionId = v.VersionId });
        }

        await s3.DeleteBucketAsync(bucket);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&delimiter=%2F")]
    public async Task EncodingTypeUrl_ControlCharactersAndSpaces_AreEncodedLikeS3(string delimiter)
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = await NewBucketAsync(s3, "a\u0001b", "sp ace+plus", "dir\u0002/x", "\u00e9");

        var (v2, _) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2&encoding-type=url&start-after=%20{delimiter}");
        Assert.Equal("url", ListingSeed.Value(v2, "EncodingType"));
        Assert.Equal("%20", ListingSeed.Value(v2, "StartAfter"));
        var expectedKeys = delimiter.Length == 0 ? new[] { "a%01b", "dir%02/x", "sp%20ace%2Bplus", "%C3%A9" } : ["a%01b", "sp%20ace%2Bplus", "%C3%A9"];
        Assert.Equal(expectedKeys, ListingSeed.Values(v2, "Contents/Key"));
        if (delimiter.Length > 0)
        {
            Assert.Equal(["dir%02/"], ListingSeed.Values(v2, "CommonPrefixes/Prefix"));
            Assert.Equal("/", ListingSeed.Value(v2, "Delimiter"));
        }

        var (v1, _) = await ListingSeed.GetAsync(_host, $"/{bucket}?encoding-type=url&prefix=a%01{delimiter}");
        // V1 echoes Prefix as sent, like S3 (SDKs do not decode it).
        Assert.Equal("a\u0001", ListingSeed.Value(v1, "Prefix"));
        Assert.Equal(["a%01b"], ListingSeed.Values(v1, "Contents/Key"));

        var (versions, _) = await ListingSeed.GetAsync(_host, $"/{bucket}?versions&encoding-type=url&max-keys=1&key-marker=a%01b{delimiter}");
        Assert.Equal("a%01b", ListingSeed.Value(versions, "KeyMarker"));
        Assert.Equal(delimiter.Length == 0 ? "dir%02/x" : "dir%02/", ListingSeed.Value(versions, "NextKeyMarker"));
    }

    [Theory]
    [InlineData("?list-type=2&encoding-type=xml", "InvalidArgument")]
    [InlineData("?list-type=2&max-keys=-1", "InvalidArgument")]
    [InlineData("?list-type=2&max-keys=abc", "InvalidArgument")]
    [InlineData("?list-type=2&max-keys=1.5", "InvalidArgument")]
    [InlineData("?list-type=2&max-keys=99999999999", "InvalidArgument")]
    [InlineData("?max-keys=-5", "InvalidArgument")]
    [InlineData("?versions&version-id-marker=null", "InvalidArgument")]
    public async Task InvalidArguments_400(string query, string code)
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = await NewBucketAsync(s3, "a");
        using var response = await RawRequests.SendSignedAsync(_host, HttpMethod.Get, "/" + bucket + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task MaxKeysAbove1000_IsCappedAt1000()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = await NewBucketAsync(s3, "a");
        var (root, _) = await ListingSeed.GetAsync(_host, $"/{bucket}?list-type=2&max-keys=5000");
        Assert.Equal("1000", ListingSeed.Value(root, "MaxKeys"));
        Assert.Equal(["a"], ListingSeed.Values(root, "Contents/Key"));
    }

    [Fact]
    public async Task MissingOrForeignBucket_NoSuchBucketOrAccessDenied()
    {
        using var first = S3Clients.PathStyle(_host);
        using var second = S3Clients.PathStyle(_host, TestAccounts.SecondKey, TestAccounts.SecondSecret);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => first.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Names.Bucket("none") }));
        Assert.Equal("NoSuchBucket", missing.ErrorCode);

        var bucket = await NewBucketAsync(first, "a");
        var v2 = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => second.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
        Assert.Equal("AccessDenied", v2.ErrorCode);
        var v1 = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => second.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket }));
        Assert.Equal("AccessDenied", v1.ErrorCode);
        var versions = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => second.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket }));
        Assert.Equal("AccessDenied", versions.ErrorCode);
    }

    private async Task<string> NewBucketAsync(AmazonS3Client s3, params string[] keys)
    {
        var bucket = Names.Bucket("list");
        await s3.PutBucketAsync(bucket);
        await ListingSeed.PutKeysAsync(_host, bucket, keys);
        return bucket;
    }
}

public sealed class TablesListingTests(TablesHost host) : ListingTests(host), IClassFixture<TablesHost>;

public sealed class CosmosListingTests(CosmosHost host) : ListingTests(host), IClassFixture<CosmosHost>;
