namespace R2Meta.Domain.Services;

/// <summary>Entity-tag helpers: S3 ETags are quoted; clients send them quoted or not, and lists of them.</summary>
public static class ETags
{
    public static string Quote(string hex) => "\"" + hex + "\"";

    public static string Unquote(string etag)
    {
        var value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        return value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
    }

    /// <summary>True when the header's list (or "*") matches <paramref name="etag"/>.</summary>
    public static bool Matches(string headerValue, string etag)
    {
        var target = Unquote(etag);
        foreach (var candidate in headerValue.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*" || string.Equals(Unquote(candidate), target, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
