using R2Meta.Domain.Storage;

namespace R2Meta.S3.Protocol;

/// <summary>
/// One content header S3 keeps with an object: the header an upload sets it with and GET/HEAD return it
/// in, which the query parameter <see cref="OverrideQuery"/> overrides on GET. <see cref="All"/> is the
/// only list of them: request parsing and the object response both read it, so a new header is a row
/// here and a property of <see cref="ContentHeaders"/>.
/// </summary>
/// <param name="Normalize">Turns the request's value into the stored one (null: nothing to store).</param>
public sealed record ContentHeaderField(
    string Name,
    Func<ContentHeaders, string?> Get,
    Func<ContentHeaders, string?, ContentHeaders> Set,
    Func<string, string?>? Normalize = null)
{
    public static IReadOnlyList<ContentHeaderField> All { get; } =
    [
        new("Content-Type", h => h.ContentType, (h, v) => h with { ContentType = v }),
        new("Content-Encoding", h => h.ContentEncoding, (h, v) => h with { ContentEncoding = v }, WithoutAwsChunked),
        new("Content-Disposition", h => h.ContentDisposition, (h, v) => h with { ContentDisposition = v }),
        new("Content-Language", h => h.ContentLanguage, (h, v) => h with { ContentLanguage = v }),
        new("Cache-Control", h => h.CacheControl, (h, v) => h with { CacheControl = v }),
        new("Expires", h => h.Expires, (h, v) => h with { Expires = v }),
    ];

    /// <summary>GetObject's <c>response-content-type</c> and its siblings.</summary>
    public string OverrideQuery { get; } = "response-" + Name.ToLowerInvariant();

    /// <summary>The value to store for a request header's value; empty is absent.</summary>
    public string? Parse(string value)
    {
        var parsed = Normalize is null ? value : Normalize(value);
        return string.IsNullOrEmpty(parsed) ? null : parsed;
    }

    // aws-chunked is a transfer framing, not part of the object's stored Content-Encoding.
    private static string WithoutAwsChunked(string value) => string.Join(", ", value
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Where(e => !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)));
}
