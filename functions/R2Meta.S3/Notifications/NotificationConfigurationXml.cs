using System.Xml.Linq;
using R2Meta.Domain.Notifications;
using R2Meta.S3.Protocol;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Notifications;

/// <summary>
/// The NotificationConfiguration document of Put/GetBucketNotificationConfiguration, validated as S3 validates it:
/// QueueConfigurations with an Id (generated when absent), a Queue ARN, one or more Events and an optional
/// Filter/S3Key with at most one prefix and one suffix FilterRule. An event type this service does not emit, a rule
/// named otherwise or repeated, and an ARN that names no queue are InvalidArgument. Topic, CloudFunction and
/// EventBridge configurations are valid S3 but name destinations this service cannot deliver to (SNS, Lambda,
/// EventBridge): 501 NotImplemented, as for other S3 features it does not have, so a client learns at once that
/// its configuration will not be honoured instead of seeing it stored and silently ignored.
/// </summary>
public static class NotificationConfigurationXml
{
    private static readonly string[] Unsupported = ["TopicConfiguration", "CloudFunctionConfiguration", "EventBridgeConfiguration"];

    public static NotificationConfiguration Parse(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var element in root.Elements())
        {
            var name = element.Name.LocalName;
            if (Unsupported.Contains(name, StringComparer.Ordinal))
            {
                throw S3Errors.NotImplemented
                    .With($"{name} is not supported: this service delivers event notifications to queues only (QueueConfiguration with an Azure Storage queue).")
                    .ToException();
            }

            if (name != "QueueConfiguration")
            {
                throw S3Errors.MalformedXML.ToException();
            }
        }

        var queues = S3Xml.Children(root, "QueueConfiguration").Select(ParseQueue).ToList();
        if (queues.Select(q => q.Id).Distinct(StringComparer.Ordinal).Count() != queues.Count)
        {
            throw S3Errors.InvalidArgument.With("Configuration Ids must be unique.").ToException();
        }

        return new NotificationConfiguration { Queues = queues };
    }

    public static XElement Write(NotificationConfiguration? configuration) =>
        S3Xml.E("NotificationConfiguration", (configuration?.Queues ?? []).Select(q => S3Xml.E("QueueConfiguration",
            S3Xml.E("Id", q.Id),
            S3Xml.E("Queue", q.QueueArn),
            q.Events.Select(e => S3Xml.E("Event", e)),
            q.Prefix is null && q.Suffix is null ? null : S3Xml.E("Filter", S3Xml.E("S3Key",
                q.Prefix is null ? null : S3Xml.E("FilterRule", S3Xml.E("Name", "prefix"), S3Xml.E("Value", q.Prefix)),
                q.Suffix is null ? null : S3Xml.E("FilterRule", S3Xml.E("Name", "suffix"), S3Xml.E("Value", q.Suffix)))))));

    private static QueueNotification ParseQueue(XElement queue)
    {
        var arn = S3Xml.Child(queue, "Queue") ?? throw S3Errors.MalformedXML.ToException();
        if (QueueArns.QueueName(arn) is null)
        {
            throw S3Errors.InvalidArgument.With("The ARN is not well formed")
                .WithDetail("ArgumentName", "Queue").WithDetail("ArgumentValue", arn).ToException();
        }

        var events = S3Xml.Children(queue, "Event").Select(e => e.Value).ToList();
        if (events.Count == 0)
        {
            throw S3Errors.MalformedXML.ToException();
        }

        foreach (var name in events.Where(e => !S3EventNames.Supported.Contains(e)))
        {
            throw S3Errors.InvalidArgument.With("The event is not supported for notifications")
                .WithDetail("ArgumentName", "Event").WithDetail("ArgumentValue", name).ToException();
        }

        var (prefix, suffix) = ParseFilter(queue);
        return new QueueNotification
        {
            Id = S3Xml.Child(queue, "Id") is { Length: > 0 } id ? id : Guid.NewGuid().ToString("N"),
            QueueArn = arn,
            Events = events.Distinct(StringComparer.Ordinal).ToList(),
            Prefix = prefix,
            Suffix = suffix,
        };
    }

    private static (string? Prefix, string? Suffix) ParseFilter(XElement queue)
    {
        if (S3Xml.Children(queue, "Filter").FirstOrDefault() is not { } filter)
        {
            return (null, null);
        }

        string? prefix = null;
        string? suffix = null;
        var rules = S3Xml.Children(filter, "S3Key").SelectMany(k => S3Xml.Children(k, "FilterRule"));
        foreach (var rule in rules)
        {
            var name = S3Xml.Child(rule, "Name");
            var value = S3Xml.Child(rule, "Value") ?? string.Empty;
            switch (name?.ToLowerInvariant())
            {
                case "prefix" when prefix is null:
                    prefix = value;
                    break;
                case "suffix" when suffix is null:
                    suffix = value;
                    break;
                case "prefix" or "suffix":
                    throw S3Errors.InvalidArgument.With($"Cannot specify more than one {name.ToLowerInvariant()} rule in a filter.")
                        .WithDetail("ArgumentName", "FilterRule").WithDetail("ArgumentValue", name).ToException();
                default:
                    throw S3Errors.InvalidArgument.With("filter rule name must be either prefix or suffix")
                        .WithDetail("ArgumentName", "FilterRule").WithDetail("ArgumentValue", name ?? string.Empty).ToException();
            }
        }

        return (prefix, suffix);
    }
}
