using R2Meta.Domain.Services;

namespace R2Meta.Unit.Tests.Services;

public sealed class BucketNamesTests
{
    [Theory]
    [InlineData("abc", true)]
    [InlineData("my-bucket.with.dots", true)]
    [InlineData("0123456789", true)]
    [InlineData("ab", false)]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234", false)]
    [InlineData("Upper", false)]
    [InlineData("under_score", false)]
    [InlineData("-start", false)]
    [InlineData("end-", false)]
    [InlineData("dot..dot", false)]
    [InlineData("dot.-dash", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("xn--abc", false)]
    [InlineData("sthree-abc", false)]
    [InlineData("name-s3alias", false)]
    [InlineData("name--ol-s3", false)]
    public void IsValid_FollowsS3Rules(string name, bool valid) => Assert.Equal(valid, BucketNames.IsValid(name));
}
