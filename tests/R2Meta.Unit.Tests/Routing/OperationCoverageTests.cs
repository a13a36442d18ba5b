using System.Reflection;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Storage;
using R2Meta.S3.Handlers;
using R2Meta.S3.Routing;

namespace R2Meta.Unit.Tests.Routing;

/// <summary>Every S3 operation is reachable and tested; names that logs, metrics and alerts record never change.</summary>
public sealed class OperationCoverageTests
{
    private static IEnumerable<string> Names => S3Operations.All.Select(o => o.Operation.Name);

    [Fact]
    public void RouteTableTests_EveryOperation_HasATestRow()
    {
        var rows = typeof(RouteTableTests).GetMethod(nameof(RouteTableTests.Match_KnownRoute_SelectsOperation))!
            .GetCustomAttributes<InlineDataAttribute>()
            .SelectMany(a => a.GetData(null!))
            .Select(row => (string)row[^1])
            .ToHashSet();
        Assert.Equal(Names.Order(), rows.Order());
    }

    [Fact]
    public void Operations_NamesAreUniqueAndTheTableBuilds()
    {
        Assert.Equal(Names.Count(), Names.Distinct().Count());
        var table = new RouteTable(S3Operations.All.Select(o => o.Operation));
        Assert.Equal(S3Operations.All.Count, table.Operations.Count);
        Assert.Throws<ArgumentException>(() => new RouteTable([new S3Operation("X", "GET", ResourceLevel.Service, OperationAccess.AdminRead), new S3Operation("X", "PUT", ResourceLevel.Service, OperationAccess.AdminWrite)]));
    }

    [Fact]
    public void Operations_ExistingNames_NeverDisappear()
    {
        // Logs, metrics, alert budgets (infra/) and docs name these; new operations may be added.
        string[] recorded =
        [
            "ListBuckets", "CreateBucket", "HeadBucket", "DeleteBucket", "GetBucketLocation", "ListObjects",
            "ListObjectsV2", "ListObjectVersions", "DeleteObjects", "PutObject", "CopyObject", "GetObject",
            "HeadObject", "DeleteObject", "CreateMultipartUpload", "UploadPart", "UploadPartCopy",
            "CompleteMultipartUpload", "AbortMultipartUpload", "ListParts", "ListMultipartUploads",
        ];
        Assert.Empty(recorded.Except(Names));
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
