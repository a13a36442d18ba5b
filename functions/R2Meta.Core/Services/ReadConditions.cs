using System.Globalization;
using Microsoft.AspNetCore.Http;
using R2Meta.Core.Storage;

namespace R2Meta.Core.Services;

public enum ConditionOutcome
{
    Proceed = 0,
    NotModified = 1,
    PreconditionFailed = 2,
}

/// <summary>GET/HEAD conditional headers with S3's precedence.</summary>
public static class ReadConditions
{
    public static ConditionOutcome Evaluate(ObjectRecord record, HttpRequest request) => Evaluate(
        record,
        NullIfEmpty(request.Headers.IfMatch.ToString()),
        NullIfEmpty(request.Headers.IfNoneMatch.ToString()),
        HttpDates.Parse(request.Headers.IfModifiedSince.ToString()),
        HttpDates.Parse(request.Headers.IfUnmodifiedSince.ToString()));

    public static ConditionOutcome Evaluate(ObjectRecord record, string? ifMatch, string? ifNoneMatch, DateTimeOffset? ifModifiedSince, DateTimeOffset? ifUnmodifiedSince)
    {
        // HTTP dates have second precision; compare at that precision.
        var lastModified = TruncateToSeconds(record.LastModified);
        if (ifMatch is not null)
        {
            if (!ETags.Matches(ifMatch, record.ETag))
            {
                return ConditionOutcome.PreconditionFailed;
            }
        }
        else if (ifUnmodifiedSince is { } unmodifiedSince && lastModified > unmodifiedSince)
        {
            return ConditionOutcome.PreconditionFailed;
        }

        if (ifNoneMatch is not null)
        {
            if (ETags.Matches(ifNoneMatch, record.ETag))
            {
                return ConditionOutcome.NotModified;
            }
        }
        else if (ifModifiedSince is { } modifiedSince && lastModified <= modifiedSince)
        {
            return ConditionOutcome.NotModified;
        }

        return ConditionOutcome.Proceed;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>HTTP-date parsing (RFC 7231 IMF-fixdate plus the obsolete forms); unparseable dates are ignored, as S3 does.</summary>
public static class HttpDates
{
    private static readonly string[] Formats = ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy", "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"];

    public static DateTimeOffset? Parse(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(value.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
    }

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
}
