using R2Meta.Domain.Listing;
using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;
using R2Meta.S3.Requests;

namespace R2Meta.Unit.Tests.Listing;

public sealed class BucketListQueryTests
{
    private static readonly BucketRecord[] Buckets = [.. new[] { "alpha", "beta", "beta-2", "gamma", "logs" }
        .Select(name => new BucketRecord { Name = name, OwnerId = "owner", CreatedAt = DateTimeOffset.UnixEpoch })];

    [Fact]
    public void NoParameters_EveryBucketAndNoToken()
    {
        var (page, next) = BucketListQuery.Parse(null, null, null).Cut(Buckets);

        Assert.Equal(Buckets.Select(b => b.Name), page.Select(b => b.Name));
        Assert.Null(next);
    }

    [Fact]
    public void MaxBuckets_PagesWithTokensToTheEnd_WithoutRepeatsOrGaps()
    {
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (page, next) = BucketListQuery.Parse(null, "2", token).Cut(Buckets);
            seen.AddRange(page.Select(b => b.Name));
            token = next;
            pages++;
        }
        while (token is not null);

        Assert.Equal(Buckets.Select(b => b.Name), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public void ExactlyFullLastPage_HasNoToken()
    {
        var (page, next) = BucketListQuery.Parse(null, "5", null).Cut(Buckets);

        Assert.Equal(5, page.Count);
        Assert.Null(next);
    }

    [Fact]
    public void Prefix_FiltersAndCombinesWithPaging()
    {
        var (first, token) = BucketListQuery.Parse("beta", "1", null).Cut(Buckets);
        var (second, end) = BucketListQuery.Parse("beta", "1", token).Cut(Buckets);

        Assert.Equal(["beta"], first.Select(b => b.Name));
        Assert.Equal(["beta-2"], second.Select(b => b.Name));
        Assert.Null(end);
    }

    [Theory]
    [InlineData("0", null)]
    [InlineData("10001", null)]
    [InlineData("-1", null)]
    [InlineData("ten", null)]
    [InlineData(null, "!!not base64!!")]
    public void BadMaxBucketsOrToken_InvalidArgument(string? maxBuckets, string? token)
    {
        var e = Assert.Throws<S3Exception>(() => BucketListQuery.Parse(null, maxBuckets, token));

        Assert.Equal("InvalidArgument", e.Error.Code);
        Assert.Equal(400, e.Error.Status);
    }
}
