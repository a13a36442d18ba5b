using System.Globalization;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// Which bytes of an object a GET or HEAD asks for: a Range header, a partNumber, or the whole object.
/// Chosen again for every version a read meets, since a concurrent overwrite can change the size and parts.
/// </summary>
public sealed record ReadSelection(string? RangeHeader, int? PartNumber)
{
    public static ReadSelection Whole { get; } = new(null, null);

    /// <summary>The range to read of <paramref name="record"/>; null for the whole object.</summary>
    public Outcome<ByteRange?> For(ObjectRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return PartNumber is { } part ? PartRange(record, part) : HeaderRange(record);
    }

    private Outcome<ByteRange?> HeaderRange(ObjectRecord record)
    {
        var range = ByteRange.Parse(RangeHeader, record.Size, out var unsatisfiable);
        if (unsatisfiable)
        {
            return new DomainError(Failure.InvalidRange)
            {
                Facts = [new("RangeRequested", RangeHeader ?? string.Empty), new("ActualObjectSize", record.Size.ToString(CultureInfo.InvariantCulture))],
            };
        }

        return range;
    }

    /// <summary>
    /// The bytes of one part, as a range (206 with Content-Range). An object from a single PUT is one part:
    /// partNumber=1 is all of it (S3 answers 206 too, except for an empty object); beyond the last part is 416.
    /// </summary>
    private static Outcome<ByteRange?> PartRange(ObjectRecord record, int partNumber)
    {
        var sizes = record.PartsCount is null || record.PartSizes is null ? [record.Size] : record.PartSizes;
        if (partNumber > sizes.Count)
        {
            return new DomainError(Failure.InvalidPartNumber)
            {
                Facts = [new("PartNumberRequested", partNumber.ToString(CultureInfo.InvariantCulture)), new("ActualPartCount", sizes.Count.ToString(CultureInfo.InvariantCulture))],
            };
        }

        long offset = 0;
        for (var i = 0; i < partNumber - 1; i++)
        {
            offset += sizes[i];
        }

        var length = sizes[partNumber - 1];
        return length == 0 ? Outcome<ByteRange?>.FromValue(null) : new ByteRange(offset, length);
    }
}
