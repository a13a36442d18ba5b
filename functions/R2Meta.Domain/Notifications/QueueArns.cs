using System.Text.RegularExpressions;

namespace R2Meta.Domain.Notifications;

/// <summary>
/// How a QueueConfiguration's ARN names an Azure Storage queue: <c>arn:aws:sqs:&lt;region&gt;:&lt;account&gt;:&lt;queue&gt;</c>
/// → the queue <c>&lt;queue&gt;</c> of the notification queue account (R2META_NOTIFICATION_QUEUE_CONNECTION). Region and
/// account are kept as written and ignored: one service has one queue account. The queue part must be a valid Azure
/// queue name (3–63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit).
/// </summary>
public static partial class QueueArns
{
    /// <summary>The Azure queue name an ARN names; null when it is no SQS ARN or names no valid queue.</summary>
    public static string? QueueName(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length == 6 && parts[0] == "arn" && parts[1] is "aws" or "aws-cn" or "aws-us-gov" && parts[2] == "sqs" && ValidQueue().IsMatch(parts[5])
            ? parts[5]
            : null;
    }

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ValidQueue();
}
