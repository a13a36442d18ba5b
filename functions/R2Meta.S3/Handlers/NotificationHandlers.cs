using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Services;
using R2Meta.S3.Notifications;
using R2Meta.S3.Pipeline;
using R2Meta.S3.Protocol;
using R2Meta.S3.Streaming;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Handlers;

/// <summary>
/// Get/PutBucketNotificationConfiguration (the <c>?notification</c> subresource): queue configurations whose ARN names
/// an Azure Storage queue of the notification account (<see cref="QueueArns"/>). As S3, a Put checks every destination
/// before it stores anything; an empty document removes the configuration.
/// </summary>
public sealed class NotificationHandlers
{
    private const long MaxConfigurationBytes = 64 * 1024;
    private readonly BucketService _buckets;
    private readonly IEventQueue _queues;

    public NotificationHandlers(BucketService buckets, IEventQueue queues)
    {
        _buckets = buckets;
        _queues = queues;
    }

    public async Task GetBucketNotificationConfigurationAsync(S3RequestContext context)
    {
        var bucket = (await _buckets.GetOwnedCurrentAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        await S3Xml.WriteAsync(context.Response, NotificationConfigurationXml.Write(bucket.Notifications), cancellationToken: context.Aborted).ConfigureAwait(false);
    }

    public async Task PutBucketNotificationConfigurationAsync(S3RequestContext context)
    {
        await using var body = ObjectBodyStream.Create(context.Request, context.Auth);
        var document = await S3Xml.ReadAsync(body, MaxConfigurationBytes, context.Aborted).ConfigureAwait(false);
        if (document.Root is not { Name.LocalName: "NotificationConfiguration" } root)
        {
            throw S3Errors.MalformedXML.ToException();
        }

        var configuration = NotificationConfigurationXml.Parse(root);
        (await _buckets.GetOwnedAsync(context.Account, context.Bucket, context.Aborted).ConfigureAwait(false)).OrThrow();
        if (_buckets.NotificationsUnavailable is { } unavailable)
        {
            throw OutcomeErrors.ToS3Error(unavailable).ToException();
        }

        var missing = new List<string>();
        foreach (var arn in configuration.Queues.Select(q => q.QueueArn).Distinct(StringComparer.Ordinal))
        {
            if (!await _queues.ExistsAsync(QueueArns.QueueName(arn)!, context.Aborted).ConfigureAwait(false))
            {
                missing.Add(arn);
            }
        }

        if (missing.Count > 0)
        {
            var error = S3Errors.InvalidArgument.With("Unable to validate the following destination configurations");
            for (var i = 0; i < missing.Count; i++)
            {
                error = error.WithDetail($"ArgumentName{i + 1}", missing[i]).WithDetail($"ArgumentValue{i + 1}", "The destination queue does not exist");
            }

            throw error.ToException();
        }

        (await _buckets.SetNotificationsAsync(context.Account, context.Bucket, configuration, context.Aborted).ConfigureAwait(false)).OrThrow();
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
