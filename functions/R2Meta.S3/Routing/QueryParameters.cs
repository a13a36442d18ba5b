using System.Collections;
using System.Diagnostics.CodeAnalysis;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Routing;

/// <summary>
/// The request's query parameters, decoded once from the raw target with form-urlencoded rules ('+' reads as a
/// space; a name without '=' has an empty value; a repeated name's values are joined by ',' as ASP.NET Core
/// joins them). Routing, authentication and handlers all read this one parse.
/// </summary>
public sealed class QueryParameters : IReadOnlyDictionary<string, string>
{
    public static QueryParameters Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    private readonly Dictionary<string, string> _values;

    private QueryParameters(Dictionary<string, string> values) => _values = values;

    /// <summary>The names, as the dictionary's own key collection: enumerating it allocates nothing.</summary>
    public Dictionary<string, string>.KeyCollection Names => _values.Keys;

    public int Count => _values.Count;

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<string> Values => _values.Values;

    public string this[string key] => _values[key];

    /// <summary>Parses a raw query string, with or without its leading '?'.</summary>
    public static QueryParameters Parse(string rawQuery)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        if (query.Length == 0)
        {
            return Empty;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = PercentDecoding.QueryComponent(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? string.Empty : PercentDecoding.QueryComponent(part[(eq + 1)..]);
            values[name] = values.TryGetValue(name, out var earlier) ? earlier + "," + value : value;
        }

        return new(values);
    }

    public bool Contains(string name) => _values.ContainsKey(name);

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The decoded value, or null when the parameter is absent.</summary>
    public string? Get(string name) => _values.GetValueOrDefault(name);
}
