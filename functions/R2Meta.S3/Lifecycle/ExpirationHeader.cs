using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Lifecycle;

/// <summary>
/// x-amz-expiration on PutObject, GetObject and HeadObject of a current version: when the bucket's lifecycle rules
/// expire it and which rule does (the earliest among those that match), as
/// <c>expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="rule1"</c>.
/// </summary>
public static class ExpirationHeader
{
    public const string Name = "x-amz-expiration";

    public static void Write(IHeaderDictionary headers, BucketRecord? bucket, ObjectRecord current)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (LifecycleRules.ExpiryOf(bucket?.Lifecycle, current) is { } expiry)
        {
            headers[Name] = $"expiry-date=\"{HttpDates.Format(expiry.Date)}\", rule-id=\"{expiry.RuleId}\"";
        }
    }
}
