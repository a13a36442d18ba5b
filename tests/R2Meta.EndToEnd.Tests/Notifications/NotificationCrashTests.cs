using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Faults;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Notifications;

/// <summary>
/// The delivery guarantee across a crash: a server that acknowledges writes but never dispatches (in-process dispatch
/// and the periodic dispatcher both off) is SIGKILLed; no event has reached the queue. A server started afterwards on
/// the same stores delivers every acknowledged write's event, because each was recorded with its commit.
/// </summary>
public abstract class NotificationCrashTests(Backend backend)
{
    [Fact]
    public async Task Crash_KilledBetweenCommitAndDispatch_EventsDeliveredAfterRestart()
    {
        var settings = R2MetaHost.Settings(backend, R2MetaHost.NewSuffix());
        var bucket = Names.Bucket("ncrash");
        await using var queue = await EventQueue.CreateAsync();
        using (var silent = new ServerProcess(new Dictionary<string, string?>(settings)
        {
            ["R2META_NOTIFICATION_DISPATCH_AFTER_COMMIT"] = "false",
            ["R2META_NOTIFICATION_DISPATCH_SECONDS"] = "0",
        }))
        {
            await silent.StartAsync();
            using var s3 = FaultClients.Create(silent.Endpoint, TimeSpan.FromSeconds(100));
            await s3.PutBucketAsync(bucket);
            await s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
            {
                BucketName = bucket,
                QueueConfigurations = [new QueueConfiguration { Id = "all", Queue = queue.Arn, Events = [EventType.ObjectCreatedAll, EventType.ObjectRemovedAll] }],
            });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "kept", ContentBody = "1" });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "gone", ContentBody = "2" });
            await s3.DeleteObjectAsync(bucket, "gone");

            Assert.Empty(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(2)));
            silent.Kill();
        }

        using var restarted = new ServerProcess(new Dictionary<string, string?>(settings) { ["R2META_NOTIFICATION_DISPATCH_SECONDS"] = "1" });
        await restarted.StartAsync();
        var records = await queue.ReceiveAsync(3, TimeSpan.FromSeconds(60));

        Assert.Equal(
            ["ObjectCreated:Put kept", "ObjectCreated:Put gone", "ObjectRemoved:Delete gone"],
            records.Select(r => r.GetProperty("eventName").GetString() + " " + r.GetProperty("s3").GetProperty("object").GetProperty("key").GetString()).ToArray());
    }
}

public sealed class TablesNotificationCrashTests() : NotificationCrashTests(Backend.Tables);

public sealed class CosmosNotificationCrashTests() : NotificationCrashTests(Backend.Cosmos);
