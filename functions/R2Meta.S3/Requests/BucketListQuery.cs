using System.Buffers.Text;
using System.Globalization;
using System.Text;
using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Requests;

/// <summary>
/// ListBuckets' optional paging: <c>prefix</c>, <c>max-buckets</c> (1–10,000; absent: every bucket) and
/// <c>continuation-token</c> (the last name of the previous page, base64url). An account's buckets
/// are few and come from one store query, so a page is cut from that list in memory.
/// </summary>
public sealed record BucketListQuery
{
    public const int MaxBuckets = 10_000;

    public string? Prefix { get; init; }

    public int? Limit { get; init; }

    public string? After { get; init; }

    /// <summary>Validates the query string values; a bad one is InvalidArgument, as in S3.</summary>
    public static BucketListQuery Parse(string? prefix, string? maxBuckets, string? continuationToken)
    {
        int? limit = null;
        if (maxBuckets is not null)
        {
            limit = int.TryParse(maxBuckets, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= MaxBuckets
                ? parsed
                : throw S3Errors.InvalidArgument.With("Argument max-buckets must be an integer between 1 and 10000.")
                    .WithDetail("ArgumentName", "max-buckets").WithDetail("ArgumentValue", maxBuckets).ToException();
        }

        string? after = null;
        if (!string.IsNullOrEmpty(continuationToken))
        {
            after = TryDecode(continuationToken)
                ?? throw S3Errors.InvalidArgument.With("The continuation token provided is incorrect")
                    .WithDetail("ArgumentName", "continuation-token").ToException();
        }

        return new BucketListQuery { Prefix = string.IsNullOrEmpty(prefix) ? null : prefix, Limit = limit, After = after };
    }

    /// <summary>This page of <paramref name="buckets"/> (sorted by name) and the token of the next, if any.</summary>
    public (IReadOnlyList<BucketRecord> Page, string? ContinuationToken) Cut(IReadOnlyList<BucketRecord> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var matching = buckets.Where(b => (Prefix is null || b.Name.StartsWith(Prefix, StringComparison.Ordinal))
            && (After is null || string.CompareOrdinal(b.Name, After) > 0));
        var page = matching.Take((Limit ?? MaxBuckets) + 1).ToList();
        if (Limit is not { } limit || page.Count <= limit)
        {
            return (page, null);
        }

        page.RemoveAt(limit);
        return (page, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(page[^1].Name)));
    }

    private static string? TryDecode(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
