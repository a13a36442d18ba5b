using System.Collections.ObjectModel;

namespace R2Meta.Domain.Storage;

/// <summary>
/// The content headers and user metadata an upload sets on an object: one value, held by
/// <see cref="ObjectRecord"/> and <see cref="UploadRecord"/>, copied whole by copy and complete, parsed
/// and written by the protocol from one table, stored whole by each adapter. A new header is a property
/// here and a row in the protocol's table.
/// </summary>
public sealed record ContentHeaders
{
    /// <summary>S3's limit on the user metadata of one object: UTF-8 bytes of names (without the prefix) and values.</summary>
    public const int MaxUserMetadataBytes = 2 * 1024;

    private readonly IReadOnlyDictionary<string, string> _userMetadata = MetadataDictionary.None;

    public static ContentHeaders None { get; } = new();

    public string? ContentType { get; init; }
    public string? ContentEncoding { get; init; }
    public string? ContentDisposition { get; init; }
    public string? ContentLanguage { get; init; }
    public string? CacheControl { get; init; }
    public string? Expires { get; init; }

    /// <summary>
    /// User metadata without the x-amz-meta- prefix, names lower-cased, in the order given. Kept as a
    /// read-only copy that compares by content, so two equal values are equal records.
    /// </summary>
    public IReadOnlyDictionary<string, string> UserMetadata
    {
        get => _userMetadata;
        init => _userMetadata = value is MetadataDictionary ? value : new MetadataDictionary(value);
    }

    private sealed class MetadataDictionary : ReadOnlyDictionary<string, string>
    {
        public static readonly MetadataDictionary None = new(new Dictionary<string, string>());

        public MetadataDictionary(IReadOnlyDictionary<string, string> entries)
            : base(new Dictionary<string, string>(entries, StringComparer.Ordinal))
        {
        }

        public override bool Equals(object? obj) =>
            obj is IReadOnlyDictionary<string, string> other
            && other.Count == Count
            && this.All(entry => other.TryGetValue(entry.Key, out var value) && value == entry.Value);

        public override int GetHashCode() => this.Aggregate(Count, (hash, entry) => hash ^ HashCode.Combine(entry.Key, entry.Value));
    }
}
