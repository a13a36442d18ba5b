using R2Meta.S3.Handlers;
using R2Meta.S3.Routing;

namespace R2Meta.Unit.Tests.Routing;

public sealed class RouteTableTests
{
    private static readonly RouteTable Table = new(S3Operations.All.Select(o => o.Operation));

    [Theory]
    [InlineData("GET", "/", "", "", "ListBuckets")]
    [InlineData("GET", "/b", "location", "", "GetBucketLocation")]
    [InlineData("GET", "/b", "uploads", "", "ListMultipartUploads")]
    [InlineData("GET", "/b", "versions", "", "ListObjectVersions")]
    [InlineData("GET", "/b", "list-type=2&prefix=a", "", "ListObjectsV2")]
    [InlineData("GET", "/b", "prefix=a&delimiter=/", "", "ListObjects")]
    [InlineData("PUT", "/b", "", "", "CreateBucket")]
    [InlineData("HEAD", "/b", "", "", "HeadBucket")]
    [InlineData("DELETE", "/b", "", "", "DeleteBucket")]
    [InlineData("POST", "/b", "delete", "", "DeleteObjects")]
    [InlineData("POST", "/b", "", "", "PostObject")]
    [InlineData("PUT", "/b/k", "partNumber=1&uploadId=u", "x-amz-copy-source", "UploadPartCopy")]
    [InlineData("PUT", "/b/k", "partNumber=1&uploadId=u", "", "UploadPart")]
    [InlineData("PUT", "/b/k", "", "x-amz-copy-source", "CopyObject")]
    [InlineData("PUT", "/b/k", "", "", "PutObject")]
    [InlineData("GET", "/b/k", "uploadId=u", "", "ListParts")]
    [InlineData("GET", "/b/k", "attributes", "", "GetObjectAttributes")]
    [InlineData("GET", "/b/k", "response-content-type=a/b", "", "GetObject")]
    [InlineData("GET", "/b/k", "partNumber=2", "", "GetObject")]
    [InlineData("HEAD", "/b/k", "", "", "HeadObject")]
    [InlineData("POST", "/b/k", "uploads", "", "CreateMultipartUpload")]
    [InlineData("POST", "/b/k", "uploadId=u", "", "CompleteMultipartUpload")]
    [InlineData("DELETE", "/b/k", "uploadId=u", "", "AbortMultipartUpload")]
    [InlineData("DELETE", "/b/k", "", "", "DeleteObject")]
    [InlineData("GET", "/b", "encryption", "", "GetBucketEncryption")]
    [InlineData("PUT", "/b", "encryption", "", "PutBucketEncryption")]
    [InlineData("DELETE", "/b", "encryption", "", "DeleteBucketEncryption")]
    [InlineData("GET", "/b", "ownershipControls", "", "GetBucketOwnershipControls")]
    [InlineData("PUT", "/b", "ownershipControls", "", "PutBucketOwnershipControls")]
    [InlineData("DELETE", "/b", "ownershipControls", "", "DeleteBucketOwnershipControls")]
    [InlineData("GET", "/b", "cors", "", "GetBucketCors")]
    [InlineData("PUT", "/b", "cors", "", "PutBucketCors")]
    [InlineData("DELETE", "/b", "cors", "", "DeleteBucketCors")]
    [InlineData("GET", "/b", "lifecycle", "", "GetBucketLifecycleConfiguration")]
    [InlineData("PUT", "/b", "lifecycle", "", "PutBucketLifecycleConfiguration")]
    [InlineData("DELETE", "/b", "lifecycle", "", "DeleteBucketLifecycle")]
    [InlineData("GET", "/b", "acl", "", "GetBucketAcl")]
    [InlineData("PUT", "/b", "acl", "", "PutBucketAcl")]
    [InlineData("GET", "/b/k", "acl", "", "GetObjectAcl")]
    [InlineData("PUT", "/b/k", "acl", "", "PutObjectAcl")]
    [InlineData("GET", "/b", "notification", "", "GetBucketNotificationConfiguration")]
    [InlineData("PUT", "/b", "notification", "", "PutBucketNotificationConfiguration")]
    [InlineData("GET", "/b", "versioning", "", "GetBucketVersioning")]
    [InlineData("PUT", "/b", "versioning", "", "PutBucketVersioning")]
    [InlineData("GET", "/b", "tagging", "", "GetBucketTagging")]
    [InlineData("PUT", "/b", "tagging", "", "PutBucketTagging")]
    [InlineData("DELETE", "/b", "tagging", "", "DeleteBucketTagging")]
    [InlineData("GET", "/b/k", "tagging", "", "GetObjectTagging")]
    [InlineData("GET", "/b/k", "tagging&versionId=null", "", "GetObjectTagging")]
    [InlineData("PUT", "/b/k", "tagging", "", "PutObjectTagging")]
    [InlineData("DELETE", "/b/k", "tagging", "", "DeleteObjectTagging")]
    public void Match_KnownRoute_SelectsOperation(string method, string path, string query, string header, string expected)
    {
        var match = Route(method, path, query, header);
        Assert.Equal(RouteFailure.None, match.Failure);
        Assert.Equal(expected, match.Operation?.Name);
    }

    [Theory]
    [InlineData("GET", "/b", "policy")]
    [InlineData("GET", "/b", "object-lock")]
    [InlineData("GET", "/b/k", "retention")]
    [InlineData("PUT", "/b/k", "retention")]
    [InlineData("GET", "/b/k", "legal-hold")]
    [InlineData("POST", "/b/k", "restore")]
    [InlineData("GET", "/b", "website")]
    [InlineData("PUT", "/b/k", "uploadId=u")]
    [InlineData("POST", "/b", "cors")]
    [InlineData("POST", "/b", "uploads")]
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
        Assert.Equal("UploadPart", match.Operation?.Name);
    }

    private static RouteMatch Route(string method, string path, string query, string header)
    {
        var address = S3Address.Parse("127.0.0.1:9000", path, "localhost");
        var headers = header.Length == 0 ? new HashSet<string>() : new HashSet<string>(StringComparer.OrdinalIgnoreCase) { header };
        return Table.Match(method, address.Level, QueryParameters.Parse(query), headers.Contains);
    }
}
