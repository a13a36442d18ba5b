using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

public enum ConditionOutcome
{
    Proceed = 0,
    NotModified = 1,
    PreconditionFailed = 2,
}

/// <summary>GET/HEAD conditional headers with S3's precedence.</summary>
public static class ReadConditions
{
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
}
