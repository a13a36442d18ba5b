using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;
using LifecycleFilter = Amazon.S3.Model.LifecycleFilter;
using LifecycleRule = Amazon.S3.Model.LifecycleRule;

namespace R2Meta.EndToEnd.Tests.Notifications;

/// <summary>
/// Event notifications end to end: every event type this service emits arrives on an Azure Storage queue (Azurite)
/// in S3's event JSON, filters keep what they should out, and the configuration round-trips and validates through
/// AWSSDK.S3 as S3's does. Both backends.
/// </summary>
public abstract class NotificationTests : OneBucketTests
{
    protected NotificationTests(R2MetaHost host)
        : base(host, "notify")
    {
    }

    [Fact]
    public async Task Events_PutCopyCompletePostDelete_ArriveInS3EventJson()
    {
        await using var queue = await EventQueue.CreateAsync();
        await ConfigureAsync(queue, [EventType.ObjectCreatedAll, EventType.ObjectRemovedAll]);

        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "dir/red flower.jpg", ContentBody = "hello" });
        await S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "dir/red flower.jpg", DestinationBucket = Bucket, DestinationKey = "copy" });
        var upload = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "multi" });
        var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "multi", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[10]) });
        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "multi", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });
        var fields = PostForms.Sign([new("key", "posted")], [$$"""{"bucket": "{{Bucket}}"}""", """{"key": "posted"}"""]);
        using (var posted = await PostForms.PostAsync(PostForms.BucketUrl(Host, Bucket), fields, new MemoryStream(new byte[3])))
        {
            Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        }

        await S3.DeleteObjectAsync(Bucket, "copy");
        var records = await queue.ReceiveAsync(5);

        Assert.Equal(
            ["ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload", "ObjectCreated:Post", "ObjectRemoved:Delete"],
            records.Select(r => r.GetProperty("eventName").GetString()!).ToArray());
        var first = records[0];
        Assert.Equal("2.1", first.GetProperty("eventVersion").GetString());
        Assert.Equal("aws:s3", first.GetProperty("eventSource").GetString());
        Assert.True(DateTimeOffset.TryParse(first.GetProperty("eventTime").GetString(), out _));
        Assert.Equal("127.0.0.1", first.GetProperty("requestParameters").GetProperty("sourceIPAddress").GetString());
        Assert.Matches("^[0-9A-F]{16}$", first.GetProperty("responseElements").GetProperty("x-amz-request-id").GetString()!);
        var s3 = first.GetProperty("s3");
        Assert.Equal("1.0", s3.GetProperty("s3SchemaVersion").GetString());
        Assert.Equal("all", s3.GetProperty("configurationId").GetString());
        Assert.Equal(Bucket, s3.GetProperty("bucket").GetProperty("name").GetString());
        Assert.Equal("arn:aws:s3:::" + Bucket, s3.GetProperty("bucket").GetProperty("arn").GetString());
        var created = s3.GetProperty("object");
        Assert.Equal("dir/red+flower.jpg", created.GetProperty("key").GetString());
        Assert.Equal(5, created.GetProperty("size").GetInt64());
        Assert.Equal(put.ETag.Trim('"'), created.GetProperty("eTag").GetString());
        Assert.Matches("^[0-9A-F]{16}$", created.GetProperty("sequencer").GetString()!);
        Assert.Equal("multi", records[2].GetProperty("s3").GetProperty("object").GetProperty("key").GetString());
        var removed = records[4].GetProperty("s3").GetProperty("object");
        Assert.Equal("copy", removed.GetProperty("key").GetString());
        Assert.False(removed.TryGetProperty("eTag", out _));
        // The copy's delete comes after its creation: sequencers increase per key.
        Assert.True(string.CompareOrdinal(records[1].GetProperty("s3").GetProperty("object").GetProperty("sequencer").GetString(), removed.GetProperty("sequencer").GetString()) < 0);
    }

    [Fact]
    public async Task Events_VersionedDelete_DeleteMarkerCreatedWithVersionId()
    {
        await using var queue = await EventQueue.CreateAsync();
        await S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        await ConfigureAsync(queue, [EventType.ObjectRemovedDeleteMarkerCreated, EventType.ObjectRemovedDelete]);

        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "v", ContentBody = "1" });
        var marker = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "v" });
        await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "v", VersionId = marker.VersionId });
        var records = await queue.ReceiveAsync(2);

        Assert.Equal(["ObjectRemoved:DeleteMarkerCreated", "ObjectRemoved:Delete"], records.Select(r => r.GetProperty("eventName").GetString()!).ToArray());
        Assert.All(records, r => Assert.Equal(marker.VersionId, r.GetProperty("s3").GetProperty("object").GetProperty("versionId").GetString()));
        Assert.NotEqual(put.VersionId, marker.VersionId);
    }

    [Fact]
    public async Task Events_LifecycleExpiration_ArriveAsLifecycleExpirationOnly()
    {
        await using var queue = await EventQueue.CreateAsync();
        // AWS's event types for lifecycle deletes: s3:LifecycleExpiration:* (s3:ObjectRemoved:* does not cover them).
        await ConfigureAsync(queue, [new EventType("s3:LifecycleExpiration:*")]);
        await S3.PutLifecycleConfigurationAsync(Bucket, new LifecycleConfiguration
        {
            Rules = [new LifecycleRule { Id = "old", Filter = new LifecycleFilter { Prefix = "old/" }, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Days = 1 } }],
        });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "old/a", ContentBody = "x" });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "keep", ContentBody = "x" });
        await S3.DeleteObjectAsync(Bucket, "keep");

        var bucket = (await Host.Metadata.GetBucketAsync(Bucket)).Value!;
        Assert.Equal(1, (await Lifecycle.LifecycleJobs.At(Host, DateTimeOffset.UtcNow.AddDays(2)).RunBucketAsync(bucket)).Expired);
        // Delivery starts right after each commit: 5 s is ample for the one event and for a wrong second one.
        var records = await queue.ReceiveAsync(2, TimeSpan.FromSeconds(5));

        var record = Assert.Single(records);
        Assert.Equal("LifecycleExpiration:Delete", record.GetProperty("eventName").GetString());
        Assert.Equal("old/a", record.GetProperty("s3").GetProperty("object").GetProperty("key").GetString());
    }

    [Fact]
    public async Task Filter_PrefixAndSuffix_ExcludesOtherKeysAndEvents()
    {
        await using var queue = await EventQueue.CreateAsync();
        await ConfigureAsync(queue, [EventType.ObjectCreatedPut], prefix: "logs/", suffix: ".txt");

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "logs/a.bin", ContentBody = "x" });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "other/a.txt", ContentBody = "x" });
        await S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "other/a.txt", DestinationBucket = Bucket, DestinationKey = "logs/copied.txt" });
        await S3.DeleteObjectAsync(Bucket, "other/a.txt");
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "logs/z.txt", ContentBody = "x" });
        // Events of a bucket are delivered in commit order: once the last one is here, any earlier one would be too.
        var records = await queue.ReceiveAsync(2, TimeSpan.FromSeconds(15));

        Assert.Equal(["logs/z.txt"], records.Select(r => r.GetProperty("s3").GetProperty("object").GetProperty("key").GetString()!).ToArray());
    }

    [Fact]
    public async Task Configuration_PutThenGet_RoundTripsAndEmptyRemovesIt()
    {
        await using var queue = await EventQueue.CreateAsync();
        await ConfigureAsync(queue, [EventType.ObjectCreatedAll, EventType.ObjectRemovedDelete], prefix: "in/", suffix: ".csv");

        var read = await S3.GetBucketNotificationAsync(new GetBucketNotificationRequest { BucketName = Bucket });
        await S3.PutBucketNotificationAsync(new PutBucketNotificationRequest { BucketName = Bucket });
        var emptied = await S3.GetBucketNotificationAsync(new GetBucketNotificationRequest { BucketName = Bucket });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "in/after.csv", ContentBody = "x" });

        var configuration = Assert.Single(read.QueueConfigurations);
        Assert.Equal("all", configuration.Id);
        Assert.Equal(queue.Arn, configuration.Queue);
        Assert.Equal(["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], configuration.Events.Select(e => e.Value).ToArray());
        Assert.Equal(["prefix=in/", "suffix=.csv"], configuration.Filter.S3KeyFilter.FilterRules.Select(r => $"{r.Name.ToLowerInvariant()}={r.Value}").ToArray());
        Assert.Empty(emptied.QueueConfigurations ?? []);
        Assert.Empty(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Cost_Commits_NoExtraStoreRequestForTheEvent()
    {
        await using var queue = await EventQueue.CreateAsync();
        var plainBucket = Names.Bucket("plain");
        await S3.PutBucketAsync(plainBucket);
        await ConfigureAsync(queue, [EventType.ObjectCreatedAll, EventType.ObjectRemovedAll]);

        var plain = await CostsAsync(plainBucket);
        var notifying = await CostsAsync(Bucket);
        await queue.ReceiveAsync(3 * 3);

        // The event rides in the commit's own write (Tables: the same entity group transaction; Cosmos DB: the same
        // document). The one exception: on Cosmos DB a create that finds the key taken (an overwrite) reads whether it
        // is a delete's tombstone — in notifying buckets only.
        var overwriteExtra = Host.Backend == Backend.Cosmos ? 1 : 0;
        Assert.Equal((plain.Create, plain.Overwrite + overwriteExtra, plain.Delete), notifying);
    }

    /// <summary>
    /// Store requests of a create, an overwrite and a delete of a key: the least of three rounds (a bucket cache refresh
    /// costs one more), each on a key of its own (a create never meets a tombstone the dispatcher has yet to clear).
    /// </summary>
    private async Task<(int Create, int Overwrite, int Delete)> CostsAsync(string bucket)
    {
        var least = (Create: int.MaxValue, Overwrite: int.MaxValue, Delete: int.MaxValue);
        for (var round = 0; round < 3; round++)
        {
            var create = await RoundTripsAsync(HttpMethod.Put, $"/{bucket}/k{round}", "1");
            var overwrite = await RoundTripsAsync(HttpMethod.Put, $"/{bucket}/k{round}", "2");
            var delete = await RoundTripsAsync(HttpMethod.Delete, $"/{bucket}/k{round}", null);
            least = (Math.Min(least.Create, create), Math.Min(least.Overwrite, overwrite), Math.Min(least.Delete, delete));
        }

        return least;
    }

    private async Task<int> RoundTripsAsync(HttpMethod method, string path, string? body)
    {
        using var response = await RawRequests.SendSignedAsync(Host, method, path, body is null ? null : new StringContent(body));
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {response.StatusCode}");
        return int.Parse(response.Headers.GetValues("x-r2meta-store-round-trips").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("<QueueConfiguration><Id>x</Id><Queue>{arn}</Queue><Event>s3:ObjectRestore:Post</Event></QueueConfiguration>", "The event is not supported for notifications")]
    [InlineData("<QueueConfiguration><Id>x</Id><Queue>{arn}</Queue><Event>s3:NoSuchThing</Event></QueueConfiguration>", "The event is not supported for notifications")]
    [InlineData("<QueueConfiguration><Id>x</Id><Queue>{arn}</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>middle</Name><Value>a</Value></FilterRule></S3Key></Filter></QueueConfiguration>", "filter rule name must be either prefix or suffix")]
    [InlineData("<QueueConfiguration><Id>x</Id><Queue>{arn}</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>a</Value></FilterRule><FilterRule><Name>prefix</Name><Value>b</Value></FilterRule></S3Key></Filter></QueueConfiguration>", "Cannot specify more than one prefix rule in a filter.")]
    [InlineData("<QueueConfiguration><Id>x</Id><Queue>arn:aws:sqs:us-east-1:1:no-such-queue-here</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>", "Unable to validate the following destination configurations")]
    [InlineData("<QueueConfiguration><Id>x</Id><Queue>not-an-arn</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>", "The ARN is not well formed")]
    public async Task PutConfiguration_Invalid_InvalidArgument(string inner, string message)
    {
        await using var queue = await EventQueue.CreateAsync();

        var error = await PutRawAsync(inner.Replace("{arn}", queue.Arn, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("InvalidArgument", error.ErrorCode);
        Assert.Equal(message, error.Message);
        Assert.Empty((await S3.GetBucketNotificationAsync(new GetBucketNotificationRequest { BucketName = Bucket })).QueueConfigurations ?? []);
    }

    [Fact]
    public async Task PutConfiguration_TopicConfiguration_NotImplemented()
    {
        var error = await PutRawAsync("<TopicConfiguration><Id>t</Id><Topic>arn:aws:sns:us-east-1:1:topic</Topic><Event>s3:ObjectCreated:*</Event></TopicConfiguration>");

        Assert.Equal(HttpStatusCode.NotImplemented, error.StatusCode);
        Assert.Equal("NotImplemented", error.ErrorCode);
    }

    private Task ConfigureAsync(EventQueue queue, List<EventType> events, string? prefix = null, string? suffix = null)
    {
        List<FilterRule> rules = [];
        if (prefix is not null)
        {
            rules.Add(new FilterRule("prefix", prefix));
        }

        if (suffix is not null)
        {
            rules.Add(new FilterRule("suffix", suffix));
        }

        return S3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = Bucket,
            QueueConfigurations =
            [
                new QueueConfiguration
                {
                    Id = "all",
                    Queue = queue.Arn,
                    Events = events,
                    Filter = rules.Count == 0 ? null : new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = rules } },
                },
            ],
        });
    }

    private async Task<AmazonS3Exception> PutRawAsync(string inner)
    {
        // Through the SDK's own PutBucketNotification (it sends what it is given), so the error is read as clients read it.
        var xml = $"<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{inner}</NotificationConfiguration>";
        using var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}?notification", new StringContent(xml));
        var body = await response.Content.ReadAsStringAsync();
        var document = System.Xml.Linq.XDocument.Parse(body);
        return new AmazonS3Exception(document.Root!.Element("Message")?.Value, Amazon.Runtime.ErrorType.Sender, document.Root.Element("Code")?.Value, null, response.StatusCode);
    }
}

public sealed class TablesNotificationTests(TablesHost host) : NotificationTests(host), IClassFixture<TablesHost>;

public sealed class CosmosNotificationTests(CosmosHost host) : NotificationTests(host), IClassFixture<CosmosHost>;
