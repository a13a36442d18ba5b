using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Keys;

/// <summary>
/// Version ids and the sort keys of the version history. An id is 24 lowercase hex digits: 16 of the inverted
/// creation time (ticks subtracted from <see cref="long.MaxValue"/>, so newer sorts first) and 8 random ones
/// (two writes in the same tick stay distinct). Opaque to clients, URL-safe, and ordered newest first per key.
/// <para>
/// A history entry's sort key is <see cref="SortKeyCodec.Encode"/> of its key followed by the id's 12 bytes
/// packed 15 bits a unit (7 units, U+0110–U+810F): encoded keys are prefix-free (each ends in its terminator),
/// so entries order by key in UTF-8 order, then newest first, and stay within 512 UTF-16 units (505 + 7).
/// </para>
/// </summary>
public static class VersionIds
{
    /// <summary>What S3 calls the version written while a bucket was unversioned or suspended.</summary>
    public const string Null = "null";

    private const int Length = 24;
    private const int DataBase = 0x0110;
    private const int BitsPerUnit = 15;

    /// <summary>A new id for a version created at <paramref name="now"/>.</summary>
    public static string New(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[4];
        RandomNumberGenerator.Fill(random);
        return Format(now, BinaryPrimitives.ReadUInt32BigEndian(random));
    }

    /// <summary>
    /// <paramref name="versionId"/> when it sorts before (is newer than) <paramref name="superseded"/>, else an id one tick
    /// newer than it: a host whose clock lags must still give the version it commits an id that lists first, since
    /// listings and their markers rely on the current version's id preceding every id in its history.
    /// </summary>
    public static string NewerThan(string versionId, string? superseded)
    {
        if (superseded is null || !IsWellFormed(superseded) || string.CompareOrdinal(versionId, superseded) < 0)
        {
            return versionId;
        }

        var inverted = long.Parse(superseded.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) - 1;
        return inverted.ToString("x16", CultureInfo.InvariantCulture) + versionId[16..];
    }

    /// <summary>
    /// The id a record written without one (an unversioned bucket's, before versioning was enabled) gets when it
    /// enters the history: derived from its time and blob, so copying it twice (a retry) yields one entry.
    /// </summary>
    public static string ForLegacy(ObjectRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(record.BlobName));
        return Format(record.LastModified, BinaryPrimitives.ReadUInt32BigEndian(hash));
    }

    /// <summary>True for an id this store could have issued (24 lowercase hex digits); "null" is not one.</summary>
    public static bool IsWellFormed(string? versionId) =>
        versionId is { Length: Length } && versionId.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>
    /// <paramref name="record"/> as a versioned bucket stores it at <paramref name="now"/>: a new id, marked as the
    /// null version while suspended. Unversioned buckets keep records without an id (their shape is unchanged).
    /// </summary>
    public static ObjectRecord Stamp(ObjectRecord record, BucketVersioning versioning, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        return versioning switch
        {
            BucketVersioning.Unversioned => record,
            BucketVersioning.Enabled => record with { VersionId = New(now), IsNullVersion = false },
            BucketVersioning.Suspended => record with { VersionId = New(now), IsNullVersion = true },
            _ => throw new ArgumentOutOfRangeException(nameof(versioning), versioning, "Unknown versioning state."),
        };
    }

    /// <summary><paramref name="record"/> as it enters the history: with an id (a legacy record gets one) and marked null when it was.</summary>
    public static ObjectRecord AsHistory(ObjectRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with
        {
            VersionId = record.VersionId ?? ForLegacy(record),
            IsNullVersion = record.VersionId is null || record.IsNullVersion,
            Version = null,
            // Pending events stay with the key's current record, whose commits carry them on.
            PendingEvents = null,
        };
    }

    /// <summary>The history sort key of version <paramref name="versionId"/> (well-formed) of <paramref name="key"/>.</summary>
    public static string SortKey(string key, string versionId) => SortKeyCodec.Encode(key) + Units(versionId);

    /// <summary>The history sort-key range [From, To) holding every version of <paramref name="key"/>.</summary>
    public static (string From, string To) RangeOf(string key)
    {
        var encoded = SortKeyCodec.Encode(key);
        return (encoded, encoded + SortKeyCodec.AboveAll);
    }

    /// <summary>The lowest history sort key after version <paramref name="versionId"/> of <paramref name="key"/>.</summary>
    public static string After(string key, string versionId) => SortKey(key, versionId) + '\0';

    /// <summary>The lowest sort key (current rows and history alike) after every version of <paramref name="key"/>.</summary>
    public static string AfterKey(string key) => SortKeyCodec.Encode(key) + SortKeyCodec.AboveAll;

    private static string Format(DateTimeOffset time, uint random) =>
        (long.MaxValue - time.UtcTicks).ToString("x16", CultureInfo.InvariantCulture) + random.ToString("x8", CultureInfo.InvariantCulture);

    private static string Units(string versionId)
    {
        if (!IsWellFormed(versionId))
        {
            throw new ArgumentException($"'{versionId}' is not a version id.", nameof(versionId));
        }

        var bytes = Convert.FromHexString(versionId);
        var sb = new StringBuilder(7);
        var acc = 0;
        var bits = 0;
        foreach (var b in bytes)
        {
            acc = (acc << 8) | b;
            bits += 8;
            if (bits >= BitsPerUnit)
            {
                bits -= BitsPerUnit;
                sb.Append((char)(DataBase + ((acc >> bits) & 0x7FFF)));
            }
        }

        // 96 bits leave 6: padded with zeros, which keeps the order of equal-length ids.
        sb.Append((char)(DataBase + ((acc << (BitsPerUnit - bits)) & 0x7FFF)));
        return sb.ToString();
    }
}
