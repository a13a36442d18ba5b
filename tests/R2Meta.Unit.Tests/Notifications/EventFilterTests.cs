using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Notifications;

public sealed class EventFilterTests
{
    private static QueueNotification Queue(string[] events, string? prefix = null, string? suffix = null) => new()
    {
        Id = "q",
        QueueArn = "arn:aws:sqs:us-east-1:123456789012:events",
        Events = events,
        Prefix = prefix,
        Suffix = suffix,
    };

    [Theory]
    [InlineData("s3:ObjectCreated:*", "s3:ObjectCreated:Put", true)]
    [InlineData("s3:ObjectCreated:*", "s3:ObjectCreated:CompleteMultipartUpload", true)]
    [InlineData("s3:ObjectCreated:*", "s3:ObjectRemoved:Delete", false)]
    [InlineData("s3:ObjectRemoved:*", "s3:ObjectRemoved:DeleteMarkerCreated", true)]
    [InlineData("s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated", false)]
    [InlineData("s3:ObjectCreated:Put", "s3:ObjectCreated:Post", false)]
    [InlineData("s3:ObjectRemoved:*", "s3:LifecycleExpiration:Delete", false)]
    [InlineData("s3:LifecycleExpiration:*", "s3:LifecycleExpiration:DeleteMarkerCreated", true)]
    public void Matches_EventNames_WildcardCoversItsFamilyOnly(string configured, string eventName, bool expected) =>
        Assert.Equal(expected, Queue([configured]).Matches(eventName, "k"));

    [Theory]
    [InlineData("logs/a.txt", true)]
    [InlineData("logs/a.TXT", false)]
    [InlineData("Logs/a.txt", false)]
    [InlineData("other/logs/a.txt", false)]
    [InlineData("logs/a.txt.bin", false)]
    [InlineData("logs/.txt", true)]
    public void Matches_PrefixAndSuffix_BothMustHoldCaseSensitive(string key, bool expected) =>
        Assert.Equal(expected, Queue(["s3:ObjectCreated:*"], "logs/", ".txt").Matches("s3:ObjectCreated:Put", key));

    [Theory]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:my-queue", "my-queue")]
    [InlineData("arn:aws:sqs:eu-west-3:1:q12", "q12")]
    [InlineData("arn:aws:sns:us-east-1:1:topic", null)]
    [InlineData("arn:aws:sqs:us-east-1:1:Upper", null)]
    [InlineData("arn:aws:sqs:us-east-1:1:a--b", null)]
    [InlineData("arn:aws:sqs:us-east-1:1:ab", null)]
    [InlineData("my-queue", null)]
    public void QueueName_Arn_NamesAnAzureQueue(string arn, string? expected) => Assert.Equal(expected, QueueArns.QueueName(arn));

    [Fact]
    public void Attach_BucketWithoutConfiguration_RecordsNothing()
    {
        var bucket = new BucketRecord { Name = "b", OwnerId = "o", CreatedAt = DateTimeOffset.UnixEpoch };
        var emptied = EventIntent.For(bucket with { Notifications = new NotificationConfiguration() }, S3EventNames.ObjectCreatedPut);

        Assert.Null(EventIntent.For(bucket, S3EventNames.ObjectCreatedPut));
        Assert.Null(EventRecorder.Attach(Record("k", DateTimeOffset.UnixEpoch), existing: null, intent: null, DateTimeOffset.UnixEpoch).PendingEvents);
        Assert.Empty(EventRecorder.Attach(Record("k", DateTimeOffset.UnixEpoch), existing: null, emptied, DateTimeOffset.UnixEpoch).PendingEvents!);
    }

    [Fact]
    public void Attach_ExistingPendingEvents_CarriedBeforeTheNewOne()
    {
        var intent = new EventIntent(new NotificationConfiguration { Queues = [Queue(["s3:ObjectCreated:*"])] }, S3EventNames.ObjectCreatedPut, "auto", "o");
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = EventRecorder.Attach(Record("k", now), null, intent, now);

        var second = EventRecorder.Attach(Record("k", now), first with { LastModified = now }, intent, now);

        Assert.Equal(2, second.PendingEvents!.Count);
        Assert.Equal(first.PendingEvents![0], second.PendingEvents[0]);
        Assert.True(string.CompareOrdinal(second.PendingEvents[0].Sequencer, second.PendingEvents[1].Sequencer) < 0);
    }

    [Fact]
    public void Sequencer_ClockBehindThePreviousVersion_StillIncreases()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var previous = Record("k", now.AddSeconds(5));

        var sequencer = EventRecorder.Sequencer(now, previous);

        Assert.Equal(16, sequencer.Length);
        Assert.True(string.CompareOrdinal(EventRecorder.Sequencer(now.AddSeconds(5), null), sequencer) < 0);
    }

    private static ObjectRecord Record(string key, DateTimeOffset lastModified) => new()
    {
        Bucket = "b",
        Key = key,
        BlobName = "blob",
        Size = 1,
        ETag = "\"e\"",
        LastModified = lastModified,
    };
}
