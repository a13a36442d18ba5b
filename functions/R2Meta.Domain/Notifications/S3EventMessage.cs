using System.Globalization;
using System.Text;
using System.Text.Json;

namespace R2Meta.Domain.Notifications;

/// <summary>
/// The queue message of one event, in S3's event message structure (eventVersion 2.1): one record in "Records",
/// eventName without "s3:", the key URL-encoded as S3 does it (UTF-8, space as '+', '/' kept), no size or eTag on
/// removals. Azure Storage queues carry it as base64 of the UTF-8 JSON, the encoding Azure Functions queue triggers
/// expect by default (see README "Event notifications").
/// </summary>
public static class S3EventMessage
{
    public static string Json(PendingEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("Records");
            w.WriteStartObject();
            w.WriteString("eventVersion", "2.1");
            w.WriteString("eventSource", "aws:s3");
            w.WriteString("awsRegion", e.Region);
            w.WriteString("eventTime", e.EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("eventName", S3EventNames.InMessage(e.EventName));
            w.WriteStartObject("userIdentity");
            w.WriteString("principalId", e.PrincipalId ?? "anonymous");
            w.WriteEndObject();
            w.WriteStartObject("requestParameters");
            w.WriteString("sourceIPAddress", e.SourceIp ?? string.Empty);
            w.WriteEndObject();
            w.WriteStartObject("responseElements");
            w.WriteString("x-amz-request-id", e.RequestId ?? string.Empty);
            w.WriteString("x-amz-id-2", e.RequestId ?? string.Empty);
            w.WriteEndObject();
            w.WriteStartObject("s3");
            w.WriteString("s3SchemaVersion", "1.0");
            w.WriteString("configurationId", e.ConfigurationId);
            w.WriteStartObject("bucket");
            w.WriteString("name", e.Bucket);
            w.WriteStartObject("ownerIdentity");
            w.WriteString("principalId", e.BucketOwner ?? string.Empty);
            w.WriteEndObject();
            w.WriteString("arn", "arn:aws:s3:::" + e.Bucket);
            w.WriteEndObject();
            w.WriteStartObject("object");
            w.WriteString("key", EncodeKey(e.Key));
            if (e.ETag is not null)
            {
                w.WriteNumber("size", e.Size);
                w.WriteString("eTag", e.ETag);
            }

            if (e.VersionId is not null)
            {
                w.WriteString("versionId", e.VersionId);
            }

            w.WriteString("sequencer", e.Sequencer);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The message as it goes on an Azure Storage queue: base64 of the UTF-8 JSON.</summary>
    public static string QueueText(PendingEvent e) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Json(e)));

    /// <summary>S3's key encoding in event messages: form encoding of the UTF-8 bytes ("red flower.jpg" → "red+flower.jpg"), '/' kept.</summary>
    public static string EncodeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sb = new StringBuilder(key.Length);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '*')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }

        return sb.ToString();
    }
}
