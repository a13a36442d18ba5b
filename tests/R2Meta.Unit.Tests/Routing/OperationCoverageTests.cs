using System.Reflection;
using R2Meta.Domain.Storage;
using R2Meta.S3.Routing;

namespace R2Meta.Unit.Tests.Routing;

/// <summary>Every S3Operation is reachable and tested; values that logs, metrics or stores record never move.</summary>
public sealed class OperationCoverageTests
{
    [Fact]
    public void RouteTable_EveryOperation_HasARouteRow()
    {
        var routed = RouteTable.Routes.Select(r => r.Operation).ToHashSet();
        Assert.Equal(Enum.GetValues<S3Operation>().Order(), routed.Order());
    }

    [Fact]
    public void RouteTableTests_EveryOperation_HasATestRow()
    {
        var rows = typeof(RouteTableTests).GetMethod(nameof(RouteTableTests.Match_KnownRoute_SelectsOperation))!
            .GetCustomAttributes<InlineDataAttribute>()
            .SelectMany(a => a.GetData(null!))
            .Select(row => (S3Operation)row[^1])
            .ToHashSet();
        Assert.Equal(Enum.GetValues<S3Operation>().Order(), rows.Order());
    }

    [Fact]
    public void S3Operation_Values_AreStable()
    {
        string[] expected =
        [
            "ListBuckets=1", "CreateBucket=2", "HeadBucket=3", "DeleteBucket=4", "GetBucketLocation=5", "ListObjects=6",
            "ListObjectsV2=7", "ListObjectVersions=8", "DeleteObjects=9", "PutObject=10", "CopyObject=11", "GetObject=12",
            "HeadObject=13", "DeleteObject=14", "CreateMultipartUpload=15", "UploadPart=16", "UploadPartCopy=17",
            "CompleteMultipartUpload=18", "AbortMultipartUpload=19", "ListParts=20", "ListMultipartUploads=21",
            "GetBucketEncryption=22", "PutBucketEncryption=23", "DeleteBucketEncryption=24", "GetBucketOwnershipControls=25",
            "PutBucketOwnershipControls=26", "DeleteBucketOwnershipControls=27",
        ];
        Assert.Equal(expected, Values<S3Operation>().Take(expected.Length));
    }

    [Fact]
    public void StoreEnums_Values_AreStable()
    {
        Assert.Equal(["Ok=0", "NotFound=1", "AlreadyExists=2", "PreconditionFailed=3"], Values<StoreStatus>().Take(4));
        Assert.Equal(["IfAbsent=0", "IfVersion=1"], Values<WriteConditionKind>());
    }

    /// <summary>New values may be appended; existing ones keep name and number.</summary>
    private static IEnumerable<string> Values<T>() where T : struct, Enum =>
        Enum.GetValues<T>().OrderBy(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture))
            .Select(v => $"{v}={Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)}");
}
