using R2Meta.S3.Routing;

namespace R2Meta.Unit.Tests.Routing;

public sealed class RouteTableTests
{
    [Theory]
    [InlineData("GET", "/", "", "", S3Operation.ListBuckets)]
    [InlineData("GET", "/b", "location", "", S3Operation.GetBucketLocation)]
    [InlineData("GET", "/b", "uploads", "", S3Operation.ListMultipartUploads)]
    [InlineData("GET", "/b", "versions", "", S3Operation.ListObjectVersions)]
    [InlineData("GET", "/b", "list-type=2&prefix=a", "", S3Operation.ListObjectsV2)]
    [InlineData("GET", "/b", "prefix=a&delimiter=/", "", S3Operation.ListObjects)]
    [InlineData("PUT", "/b", "", "", S3Operation.CreateBucket)]
    [InlineData("HEAD", "/b", "", "", S3Operation.HeadBucket)]
    [InlineData("DELETE", "/b", "", "", S3Operation.DeleteBucket)]
    [InlineData("POST", "/b", "delete", "", S3Operation.DeleteObjects)]
    [InlineData("PUT", "/b/k", "partNumber=1&uploadId=u", "x-amz-copy-source", S3Operation.UploadPartCopy)]
    [InlineData("PUT", "/b/k", "partNumber=1&uploadId=u", "", S3Operation.UploadPart)]
    [InlineData("PUT", "/b/k", "", "x-amz-copy-source", S3Operation.CopyObject)]
    [InlineData("PUT", "/b/k", "", "", S3Operation.PutObject)]
    [InlineData("GET", "/b/k", "uploadId=u", "", S3Operation.ListParts)]
    [InlineData("GET", "/b/k", "response-content-type=a/b", "", S3Operation.GetObject)]
    [InlineData("GET", "/b/k", "partNumber=2", "", S3Operation.GetObject)]
    [InlineData("HEAD", "/b/k", "", "", S3Operation.HeadObject)]
    [InlineData("POST", "/b/k", "uploads", "", S3Operation.CreateMultipartUpload)]
    [InlineData("POST", "/b/k", "uploadId=u", "", S3Operation.CompleteMultipartUpload)]
    [InlineData("DELETE", "/b/k", "uploadId=u", "", S3Operation.AbortMultipartUpload)]
    [InlineData("DELETE", "/b/k", "", "", S3Operation.DeleteObject)]
    [InlineData("GET", "/b", "encryption", "", S3Operation.GetBucketEncryption)]
    [InlineData("PUT", "/b", "encryption", "", S3Operation.PutBucketEncryption)]
    [InlineData("DELETE", "/b", "encryption", "", S3Operation.DeleteBucketEncryption)]
    [InlineData("GET", "/b", "ownershipControls", "", S3Operation.GetBucketOwnershipControls)]
    [InlineData("PUT", "/b", "ownershipControls", "", S3Operation.PutBucketOwnershipControls)]
    [InlineData("DELETE", "/b", "ownershipControls", "", S3Operation.DeleteBucketOwnershipControls)]
    public void Match_KnownRoute_SelectsOperation(string method, string path, string query, string header, S3Operation expected)
    {
        var match = Route(method, path, query, header);
        Assert.Equal(RouteFailure.None, match.Failure);
        Assert.Equal(expected, match.Operation);
    }

    [Theory]
    [InlineData("GET", "/b", "acl")]
    [InlineData("PUT", "/b", "versioning")]
    [InlineData("GET", "/b/k", "tagging")]
    [InlineData("PUT", "/b/k", "tagging")]
    [InlineData("GET", "/b/k", "acl")]
    [InlineData("POST", "/b/k", "restore")]
    [InlineData("GET", "/b", "website")]
    [InlineData("PUT", "/b/k", "uploadId=u")]
    public void Match_UnimplementedSubresource_NotImplementedNeverFallsThrough(string method, string path, string query)
    {
        var match = Route(method, path, query, string.Empty);
        Assert.Null(match.Operation);
        Assert.Equal(RouteFailure.NotImplemented, match.Failure);
    }

    [Theory]
    [InlineData("POST", "/")]
    [InlineData("PATCH", "/b/k")]
    [InlineData("DELETE", "/")]
    public void Match_UnknownMethod_MethodNotAllowed(string method, string path)
    {
        var match = Route(method, path, string.Empty, string.Empty);
        Assert.Equal(RouteFailure.MethodNotAllowed, match.Failure);
    }

    [Fact]
    public void Match_UploadIdAndRangeHeader_StillUploadPart()
    {
        // A Range header must never shadow ?uploadId (the anti-pattern in smaller S3 servers).
        var match = Route("PUT", "/b/k", "uploadId=u&partNumber=3", "Range");
        Assert.Equal(S3Operation.UploadPart, match.Operation);
    }

    private static RouteMatch Route(string method, string path, string query, string header)
    {
        var address = S3Address.Parse("127.0.0.1:9000", path, "localhost");
        var names = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')[0]).ToHashSet(StringComparer.Ordinal);
        var headers = header.Length == 0 ? new HashSet<string>() : new HashSet<string>(StringComparer.OrdinalIgnoreCase) { header };
        return RouteTable.Match(method, address.Level, names.Contains, headers.Contains, names);
    }
}
