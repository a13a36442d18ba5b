using System.Globalization;
using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Requests;

/// <summary>The attributes GetObjectAttributes can return, as named in <c>x-amz-object-attributes</c>.</summary>
[Flags]
public enum ObjectAttribute
{
    None = 0,
    ETag = 1,
    Checksum = 2,
    ObjectParts = 4,
    StorageClass = 8,
    ObjectSize = 16,
}

/// <summary>The request side of GetObjectAttributes: which attributes, and which page of parts.</summary>
public static class ObjectAttributes
{
    /// <summary>The page size of ObjectParts when x-amz-max-parts is absent, and its ceiling.</summary>
    public const int MaxParts = 1000;
    public const string MaxPartsHeader = "x-amz-max-parts";
    public const string PartNumberMarkerHeader = "x-amz-part-number-marker";

    /// <summary>
    /// <c>x-amz-object-attributes</c>: a comma-separated list (in one header or several) of ETag, Checksum,
    /// ObjectParts, StorageClass, ObjectSize. A name S3 does not know, or none at all, is InvalidArgument as S3 answers it.
    /// </summary>
    public static ObjectAttribute Parse(IEnumerable<string?> values)
    {
        var wanted = ObjectAttribute.None;
        foreach (var name in values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            wanted |= name switch
            {
                nameof(ObjectAttribute.ETag) => ObjectAttribute.ETag,
                nameof(ObjectAttribute.Checksum) => ObjectAttribute.Checksum,
                nameof(ObjectAttribute.ObjectParts) => ObjectAttribute.ObjectParts,
                nameof(ObjectAttribute.StorageClass) => ObjectAttribute.StorageClass,
                nameof(ObjectAttribute.ObjectSize) => ObjectAttribute.ObjectSize,
                _ => throw InvalidName().WithDetail("ArgumentValue", name).ToException(),
            };
        }

        return wanted == ObjectAttribute.None ? throw InvalidName().ToException() : wanted;
    }

    /// <summary><c>x-amz-max-parts</c>: absent 1,000; above 1,000 capped, as ListParts.</summary>
    public static int ParseMaxParts(string? value) => Math.Min(ParseCount(value, MaxPartsHeader) ?? MaxParts, MaxParts);

    /// <summary><c>x-amz-part-number-marker</c>: the part the page starts after; absent 0.</summary>
    public static int ParsePartNumberMarker(string? value) => ParseCount(value, PartNumberMarkerHeader) ?? 0;

    /// <summary>
    /// The parts after <paramref name="marker"/>, at most <paramref name="maxParts"/>: (number, size, checksum)
    /// of each, and whether more follow. S3 lists parts only for an object whose parts have checksums.
    /// </summary>
    public static (IReadOnlyList<(int Number, long Size, string Checksum)> Parts, bool IsTruncated) PageOfParts(ObjectRecord record, int marker, int maxParts)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.PartSizes is not { } sizes || record.PartChecksums is not { } checksums || checksums.Count != sizes.Count)
        {
            return ([], false);
        }

        var first = Math.Clamp(marker, 0, sizes.Count);
        var count = Math.Min(maxParts, sizes.Count - first);
        var parts = Enumerable.Range(first, count).Select(i => (i + 1, sizes[i], checksums[i])).ToList();
        return (parts, first + count < sizes.Count);
    }

    /// <summary>A checksum as GetObjectAttributes gives it: a COMPOSITE value without the "-N" that GET/HEAD append (as S3).</summary>
    public static string WithoutPartCount(string checksum)
    {
        ArgumentNullException.ThrowIfNull(checksum);
        var dash = checksum.LastIndexOf('-');
        return dash < 0 ? checksum : checksum[..dash];
    }

    /// <summary>A non-negative integer, or null when absent; anything else InvalidArgument naming the header.</summary>
    private static int? ParseCount(string? value, string header)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw S3Errors.InvalidArgument.With($"Provided {header} not an integer or within integer range")
                .WithDetail("ArgumentName", header).WithDetail("ArgumentValue", value).ToException();
    }

    private static S3Error InvalidName() =>
        S3Errors.InvalidArgument.With("Invalid attribute name specified.").WithDetail("ArgumentName", "x-amz-object-attributes");
}
