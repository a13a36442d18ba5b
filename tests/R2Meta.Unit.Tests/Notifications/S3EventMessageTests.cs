using System.Text;
using System.Text.Json;
using R2Meta.Domain.Notifications;

namespace R2Meta.Unit.Tests.Notifications;

public sealed class S3EventMessageTests
{
    private static readonly PendingEvent Created = new()
    {
        Id = "0000000000000001-abc",
        Bucket = "photos",
        Key = "2024/red flower+ü.jpg",
        EventName = S3EventNames.ObjectCreatedPut,
        EventTime = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero),
        Sequencer = "08DC6D8A1B2C3D4E",
        ConfigurationId = "images",
        Queue = "uploads",
        Region = "auto",
        BucketOwner = "owner-id",
        Size = 42,
        ETag = "9e107d9d372bb6826bd81d3542a419d6",
        VersionId = "v1",
        PrincipalId = "user-id",
        SourceIp = "10.0.0.1",
        RequestId = "ABCDEF0123456789",
    };

    [Fact]
    public void Json_ObjectCreated_HasS3EventStructure()
    {
        using var document = JsonDocument.Parse(S3EventMessage.Json(Created));
        var record = Assert.Single(document.RootElement.GetProperty("Records").EnumerateArray());

        Assert.Equal("2.1", record.GetProperty("eventVersion").GetString());
        Assert.Equal("aws:s3", record.GetProperty("eventSource").GetString());
        Assert.Equal("auto", record.GetProperty("awsRegion").GetString());
        Assert.Equal("2024-05-06T07:08:09.123Z", record.GetProperty("eventTime").GetString());
        Assert.Equal("ObjectCreated:Put", record.GetProperty("eventName").GetString());
        Assert.Equal("user-id", record.GetProperty("userIdentity").GetProperty("principalId").GetString());
        Assert.Equal("10.0.0.1", record.GetProperty("requestParameters").GetProperty("sourceIPAddress").GetString());
        Assert.Equal("ABCDEF0123456789", record.GetProperty("responseElements").GetProperty("x-amz-request-id").GetString());
        var s3 = record.GetProperty("s3");
        Assert.Equal("1.0", s3.GetProperty("s3SchemaVersion").GetString());
        Assert.Equal("images", s3.GetProperty("configurationId").GetString());
        Assert.Equal("photos", s3.GetProperty("bucket").GetProperty("name").GetString());
        Assert.Equal("owner-id", s3.GetProperty("bucket").GetProperty("ownerIdentity").GetProperty("principalId").GetString());
        Assert.Equal("arn:aws:s3:::photos", s3.GetProperty("bucket").GetProperty("arn").GetString());
        var item = s3.GetProperty("object");
        Assert.Equal("2024/red+flower%2B%C3%BC.jpg", item.GetProperty("key").GetString());
        Assert.Equal(42, item.GetProperty("size").GetInt64());
        Assert.Equal("9e107d9d372bb6826bd81d3542a419d6", item.GetProperty("eTag").GetString());
        Assert.Equal("v1", item.GetProperty("versionId").GetString());
        Assert.Equal("08DC6D8A1B2C3D4E", item.GetProperty("sequencer").GetString());
    }

    [Fact]
    public void Json_Removal_HasNoSizeNorETag()
    {
        var removed = Created with { EventName = S3EventNames.ObjectRemovedDelete, ETag = null, Size = 0, VersionId = null };

        using var document = JsonDocument.Parse(S3EventMessage.Json(removed));
        var record = document.RootElement.GetProperty("Records")[0];
        var item = record.GetProperty("s3").GetProperty("object");

        Assert.Equal("ObjectRemoved:Delete", record.GetProperty("eventName").GetString());
        Assert.False(item.TryGetProperty("size", out _));
        Assert.False(item.TryGetProperty("eTag", out _));
        Assert.False(item.TryGetProperty("versionId", out _));
    }

    [Fact]
    public void QueueText_IsBase64OfTheJson()
    {
        Assert.Equal(S3EventMessage.Json(Created), Encoding.UTF8.GetString(Convert.FromBase64String(S3EventMessage.QueueText(Created))));
    }
}
