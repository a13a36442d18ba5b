using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Listing;

/// <summary>
/// A page of a listing. <see cref="Last"/> is the name of the last entry (a key or a common prefix):
/// the next page is the same query with <c>After = Last</c>.
/// </summary>
public sealed record ListPage(IReadOnlyList<ListEntry> Entries, bool IsTruncated, int StoreRoundTrips)
{
    public string? Last => Entries.Count == 0 ? null : Entries[^1].Name;

    public IEnumerable<ObjectRecord> Objects => Entries.Where(e => e.Object is not null).Select(e => e.Object!);

    public IEnumerable<string> CommonPrefixes => Entries.Where(e => e.IsCommonPrefix).Select(e => e.Name);
}
