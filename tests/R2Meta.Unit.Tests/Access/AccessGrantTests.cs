using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Accounts;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Routing;

namespace R2Meta.Unit.Tests.Access;

/// <summary>The access policy: R2's four token levels, bucket scope, and the pipeline's one check over it.</summary>
public sealed class AccessGrantTests
{
    [Theory]
    [InlineData(PermissionLevel.AdminReadWrite, OperationAccess.AdminWrite, true)]
    [InlineData(PermissionLevel.AdminReadWrite, OperationAccess.AdminRead, true)]
    [InlineData(PermissionLevel.AdminReadWrite, OperationAccess.ObjectRead, true)]
    [InlineData(PermissionLevel.AdminReadWrite, OperationAccess.ObjectWrite, true)]
    [InlineData(PermissionLevel.AdminReadWrite, OperationAccess.ObjectCopy, true)]
    [InlineData(PermissionLevel.AdminRead, OperationAccess.AdminWrite, false)]
    [InlineData(PermissionLevel.AdminRead, OperationAccess.AdminRead, true)]
    [InlineData(PermissionLevel.AdminRead, OperationAccess.ObjectRead, true)]
    [InlineData(PermissionLevel.AdminRead, OperationAccess.ObjectWrite, false)]
    [InlineData(PermissionLevel.AdminRead, OperationAccess.ObjectCopy, false)]
    [InlineData(PermissionLevel.ObjectReadWrite, OperationAccess.AdminWrite, false)]
    [InlineData(PermissionLevel.ObjectReadWrite, OperationAccess.AdminRead, false)]
    [InlineData(PermissionLevel.ObjectReadWrite, OperationAccess.ObjectRead, true)]
    [InlineData(PermissionLevel.ObjectReadWrite, OperationAccess.ObjectWrite, true)]
    [InlineData(PermissionLevel.ObjectReadWrite, OperationAccess.ObjectCopy, true)]
    [InlineData(PermissionLevel.ObjectRead, OperationAccess.AdminWrite, false)]
    [InlineData(PermissionLevel.ObjectRead, OperationAccess.AdminRead, false)]
    [InlineData(PermissionLevel.ObjectRead, OperationAccess.ObjectRead, true)]
    [InlineData(PermissionLevel.ObjectRead, OperationAccess.ObjectWrite, false)]
    [InlineData(PermissionLevel.ObjectRead, OperationAccess.ObjectCopy, false)]
    public void Allows_AccountWideKey_FollowsR2Levels(PermissionLevel level, OperationAccess access, bool allowed)
    {
        Assert.Equal(allowed, AccessGrant.Of(level).Allows(access, "b", "b"));
    }

    [Theory]
    [InlineData(OperationAccess.ObjectRead, "mine", null, true)]
    [InlineData(OperationAccess.ObjectRead, "other", null, false)]
    [InlineData(OperationAccess.ObjectWrite, "mine", null, true)]
    [InlineData(OperationAccess.ObjectWrite, "other", null, false)]
    [InlineData(OperationAccess.ObjectCopy, "mine", "mine", true)]
    [InlineData(OperationAccess.ObjectCopy, "mine", "other", false)]
    [InlineData(OperationAccess.ObjectCopy, "other", "mine", false)]
    [InlineData(OperationAccess.AdminRead, null, null, false)]
    public void Allows_BucketScopedKey_OnlyItsBuckets(OperationAccess access, string? bucket, string? source, bool allowed)
    {
        var grant = AccessGrant.Of(PermissionLevel.ObjectReadWrite, ["mine", "also-mine"]);
        Assert.Equal(allowed, grant.Allows(access, bucket, source));
    }

    [Theory]
    [InlineData(PermissionLevel.AdminReadWrite)]
    [InlineData(PermissionLevel.AdminRead)]
    public void Of_AdminLevelWithBuckets_Throws(PermissionLevel level)
    {
        Assert.Throws<ArgumentException>(() => AccessGrant.Of(level, ["b"]));
    }

    [Fact]
    public void Of_BucketsSortedAndDistinct_EqualGrantsCompareEqual()
    {
        var grant = AccessGrant.Of(PermissionLevel.ObjectRead, ["b", "a", "b"]);
        Assert.Equal(["a", "b"], grant.Buckets!);
        Assert.Equal(AccessGrant.Of(PermissionLevel.ObjectRead, ["a", "b"]), grant);
        Assert.NotEqual(AccessGrant.Of(PermissionLevel.ObjectRead), grant);
        Assert.Null(AccessGrant.Of(PermissionLevel.ObjectRead, []).Buckets);
    }

    [Fact]
    public void PermissionLevel_PersistedValues_NeverChange()
    {
        Assert.Equal(0, (int)PermissionLevel.AdminReadWrite);
        Assert.Equal(1, (int)PermissionLevel.AdminRead);
        Assert.Equal(2, (int)PermissionLevel.ObjectReadWrite);
        Assert.Equal(3, (int)PermissionLevel.ObjectRead);
        Assert.All(PermissionLevels.Names, name => Assert.Equal(name, PermissionLevels.Name(PermissionLevels.Parse(name)!.Value)));
    }

    [Fact]
    public void Demand_CopyFromBucketOutsideScope_IsAccessDenied()
    {
        var grant = AccessGrant.Of(PermissionLevel.ObjectReadWrite, ["mine"]);
        var copy = new S3Operation("CopyObject", "PUT", ResourceLevel.Object, OperationAccess.ObjectCopy, Header: "x-amz-copy-source");
        var fromOther = Request(("x-amz-copy-source", "/other/key"));
        var fromMine = Request(("x-amz-copy-source", "mine/key"));
        var address = S3Address.Parse("localhost", "/mine/dest", "localhost");

        var error = Assert.Throws<S3Exception>(() => AccessCheck.Demand(grant, copy, address, fromOther));
        AccessCheck.Demand(grant, copy, address, fromMine);

        Assert.Equal("AccessDenied", error.Error.Code);
        Assert.Equal(403, error.Error.Status);
    }

    private static HttpRequest Request(params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }

        return http.Request;
    }
}
