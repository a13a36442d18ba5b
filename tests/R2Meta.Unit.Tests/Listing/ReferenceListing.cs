using System.Text;

namespace R2Meta.Unit.Tests.Listing;

/// <summary>
/// The listing S3 defines, computed the naive way: sort every key by its UTF-8 bytes, keep those with
/// the prefix, roll keys up to their common prefix, keep entries greater than After.
/// </summary>
internal static class ReferenceListing
{
    public static List<string> Entries(IEnumerable<string> keys, string prefix, string? delimiter, string? after)
    {
        var entries = new List<string>();
        foreach (var key in keys.Distinct().OrderBy(k => Encoding.UTF8.GetBytes(k), ByteOrder.Instance))
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var entry = key;
            if (!string.IsNullOrEmpty(delimiter))
            {
                var rest = key[prefix.Length..];
                for (var i = 0; i + delimiter.Length <= rest.Length; i++)
                {
                    if (string.CompareOrdinal(rest, i, delimiter, 0, delimiter.Length) == 0)
                    {
                        entry = prefix + rest[..(i + delimiter.Length)];
                        break;
                    }
                }
            }

            if (after is not null && Compare(entry, after) <= 0)
            {
                continue;
            }

            if (entries.Count == 0 || entries[^1] != entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    public static int Compare(string x, string y) => ByteOrder.Instance.Compare(Encoding.UTF8.GetBytes(x), Encoding.UTF8.GetBytes(y));

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
