using System.Security.Cryptography;
using System.Text;

namespace R2Meta.Domain.Keys;

/// <summary>
/// Maps an S3 key to a string whose ordinal (UTF-16) order equals the key's UTF-8 byte order, and
/// which is a valid Table RowKey and Cosmos property: at most 512 UTF-16 units, no control
/// characters, no <c>/ \ # ?</c>, no surrogates.
/// <para>
/// The UTF-8 bytes are packed 15 bits per unit as U+0110+v (U+0110–U+810F), then a terminator
/// U+0100+n where n is the number of meaningful bits in the last unit, so a key sorts before its
/// extensions. Keys longer than <see cref="MaxSortableBytes"/> bytes overflow: the first
/// <see cref="MaxSortableBytes"/> bytes, then the marker U+8110, then a hash of the whole key.
/// Overflow keys sharing those first bytes form a group whose members are not ordered among
/// themselves; <see cref="OrderedScanner"/> orders such a group by the full key when listing.
/// </para>
/// </summary>
public static class SortKeyCodec
{
    /// <summary>930 bytes = 496 units of 15 bits exactly, so the overflow prefix ends on a byte boundary.</summary>
    public const int MaxSortableBytes = 930;

    private const int BitsPerUnit = 15;
    private const int DataBase = 0x0110;
    private const int TerminatorBase = 0x0100;
    private const char OverflowMarker = '\u8110';
    private const int HashUnits = 8;

    /// <summary>Greater than every character a sort key can hold; appended to form exclusive upper bounds.</summary>
    public const char AboveAll = '\u8111';

    public static string Encode(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        if (bytes.Length <= MaxSortableBytes)
        {
            var sb = new StringBuilder(((bytes.Length * 8) + BitsPerUnit - 1) / BitsPerUnit + 1);
            var lastBits = AppendUnits(sb, bytes, out _);
            sb.Append((char)(TerminatorBase + lastBits));
            return sb.ToString();
        }

        return OverflowGroup(bytes) + HashUnitsOf(bytes);
    }

    /// <summary>True when the sort key belongs to an overflow group (key longer than <see cref="MaxSortableBytes"/>).</summary>
    public static bool IsOverflow(string sortKey) => sortKey.Length > 0 && sortKey.Length >= MaxSortableUnits + 1 && sortKey[MaxSortableUnits] == OverflowMarker;

    /// <summary>The common start of every sort key in the overflow group of this overflow sort key.</summary>
    public static string OverflowGroupOf(string overflowSortKey) => overflowSortKey[..(MaxSortableUnits + 1)];

    /// <summary>
    /// The sort-key range [From, To) holding every key that starts with <paramref name="prefix"/>
    /// (and possibly some that do not, when the prefix reaches into overflow groups: filter by key).
    /// To is null when unbounded.
    /// </summary>
    public static (string From, string? To) PrefixRange(string prefix)
    {
        if (prefix.Length == 0)
        {
            return (string.Empty, null);
        }

        var bytes = Encoding.UTF8.GetBytes(prefix);
        if (bytes.Length >= MaxSortableBytes)
        {
            var group = OverflowGroup(bytes);
            if (bytes.Length > MaxSortableBytes)
            {
                return (group, group + AboveAll);
            }

            // Exactly the sortable length: the key itself (terminator) and its overflow group.
            var units = group[..MaxSortableUnits];
            return (units, units + AboveAll);
        }

        var sb = new StringBuilder();
        var lastBits = AppendUnits(sb, bytes, out var lastValue);
        if (lastBits is 0 or BitsPerUnit)
        {
            var from = sb.ToString();
            return (from, from + AboveAll);
        }

        // The last unit is partial: keys with this prefix share its top lastBits bits.
        var shift = BitsPerUnit - lastBits;
        var full = sb.ToString(0, sb.Length - 1);
        var low = (char)(DataBase + lastValue);
        var high = (char)(DataBase + lastValue + (1 << shift));
        return (full + low, full + high);
    }

    /// <summary>The smallest sort key strictly after every key that starts with <paramref name="prefix"/>, or null.</summary>
    public static string? After(string prefix) => PrefixRange(prefix).To;

    /// <summary>The lowest sort key from which keys greater than <paramref name="key"/> can appear.</summary>
    public static string StartAfter(string key)
    {
        var encoded = Encode(key);
        // Within an overflow group order is by full key, so the whole group must be re-read and filtered.
        return IsOverflow(encoded) ? OverflowGroupOf(encoded) : encoded + '\0';
    }

    private static int MaxSortableUnits => MaxSortableBytes * 8 / BitsPerUnit;

    private static string OverflowGroup(byte[] bytes)
    {
        var sb = new StringBuilder(MaxSortableUnits + 1 + HashUnits);
        AppendUnits(sb, bytes.AsSpan(0, MaxSortableBytes), out _);
        sb.Append(OverflowMarker);
        return sb.ToString();
    }

    private static string HashUnitsOf(byte[] bytes)
    {
        var hash = SHA256.HashData(bytes);
        var sb = new StringBuilder(HashUnits);
        AppendUnits(sb, hash.AsSpan(0, HashUnits * BitsPerUnit / 8), out _);
        return sb.ToString();
    }

    /// <summary>Appends 15-bit units (zero-padded at the end); returns the meaningful bits of the last unit (0 when empty).</summary>
    private static int AppendUnits(StringBuilder sb, ReadOnlySpan<byte> bytes, out int lastValue)
    {
        var acc = 0;
        var accBits = 0;
        lastValue = 0;
        var lastBits = 0;
        foreach (var b in bytes)
        {
            acc = (acc << 8) | b;
            accBits += 8;
            if (accBits >= BitsPerUnit)
            {
                accBits -= BitsPerUnit;
                lastValue = (acc >> accBits) & 0x7FFF;
                sb.Append((char)(DataBase + lastValue));
                acc &= (1 << accBits) - 1;
                lastBits = BitsPerUnit;
            }
        }

        if (accBits > 0)
        {
            lastValue = (acc << (BitsPerUnit - accBits)) & 0x7FFF;
            sb.Append((char)(DataBase + lastValue));
            lastBits = accBits;
        }

        return lastBits;
    }
}
