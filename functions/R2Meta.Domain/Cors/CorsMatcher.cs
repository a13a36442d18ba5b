namespace R2Meta.Domain.Cors;

/// <summary>
/// S3's evaluation of a cross-origin request against a bucket's rules: the rules are tried in order and the
/// first whose origins, methods and headers all admit the request answers it. Origins compare as written
/// (browsers send them in lower case), header names case-insensitively; either may hold one <c>*</c>.
/// </summary>
public static class CorsMatcher
{
    /// <summary>The first rule admitting <paramref name="origin"/>, <paramref name="method"/> and every one of <paramref name="requestHeaders"/>; null when none does.</summary>
    public static CorsRule? Match(IReadOnlyList<CorsRule>? rules, string origin, string method, IReadOnlyList<string> requestHeaders)
    {
        ArgumentNullException.ThrowIfNull(requestHeaders);
        if (rules is null)
        {
            return null;
        }

        foreach (var rule in rules)
        {
            if (rule.AllowedOrigins.Any(o => Wildcard(o, origin, StringComparison.Ordinal))
                && rule.AllowedMethods.Contains(method, StringComparer.Ordinal)
                && requestHeaders.All(h => rule.AllowedHeaders.Any(a => Wildcard(a, h, StringComparison.OrdinalIgnoreCase))))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/>, which holds at most one <c>*</c> standing for any run of characters.</summary>
    public static bool Wildcard(string pattern, string value, StringComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, value, comparison);
        }

        var prefix = pattern.AsSpan(0, star);
        var suffix = pattern.AsSpan(star + 1);
        return value.Length >= prefix.Length + suffix.Length
            && value.AsSpan().StartsWith(prefix, comparison)
            && value.AsSpan().EndsWith(suffix, comparison);
    }
}
