using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace R2Meta.Domain.Services;

/// <summary>Upload ids and block ids of multipart uploads.</summary>
public static class MultipartIds
{
    public const int MinPartNumber = 1;
    public const int MaxPartNumber = 10_000;

    /// <summary>An Azure block holds at most 4,000 MiB; a larger part is staged as several blocks.</summary>
    public const long MaxBlockBytes = 4000L * 1024 * 1024;

    private const byte BlockIdFormat = 1;
    private const int BlockIdBytes = 12;
    private const int UploadIdLength = 48;

    /// <summary>
    /// 16 hex digits of the UTC ticks, then 32 random hex digits: URL-safe, valid as a Table RowKey and a
    /// Cosmos id, and ordinal order is initiation order (ties broken at random).
    /// </summary>
    public static string NewUploadId(DateTimeOffset now) =>
        now.UtcTicks.ToString("x16", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether a client-supplied upload id could be one of ours (so no store call is spent on junk).</summary>
    public static bool IsWellFormed(string? uploadId) =>
        uploadId is { Length: UploadIdLength } && uploadId.All(char.IsAsciiHexDigitLower);

    /// <summary>A fresh nonce for one part upload attempt: its blocks never collide with an earlier attempt's.</summary>
    public static ulong NewAttemptNonce() => BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// Base64 of 12 bytes (16 characters, no padding, the same length for every block of a blob as Azure
    /// requires): format byte, part number (2 bytes), attempt nonce (8 bytes), sub-block index (1 byte).
    /// </summary>
    public static string BlockId(int partNumber, ulong nonce, int subBlock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, MinPartNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partNumber, MaxPartNumber);
        ArgumentOutOfRangeException.ThrowIfNegative(subBlock);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subBlock, byte.MaxValue);
        Span<byte> bytes = stackalloc byte[BlockIdBytes];
        bytes[0] = BlockIdFormat;
        BinaryPrimitives.WriteUInt16BigEndian(bytes[1..], (ushort)partNumber);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[3..], nonce);
        bytes[11] = (byte)subBlock;
        return Convert.ToBase64String(bytes);
    }

    /// <summary>The part number and sub-block index a block id encodes.</summary>
    public static (int PartNumber, ulong Nonce, int SubBlock) ParseBlockId(string blockId)
    {
        var bytes = Convert.FromBase64String(blockId);
        if (bytes.Length != BlockIdBytes || bytes[0] != BlockIdFormat)
        {
            throw new FormatException($"'{blockId}' is not a multipart block id.");
        }

        return (BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(1)), BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(3)), bytes[11]);
    }

    /// <summary>Sizes of the blocks a part of <paramref name="length"/> bytes is staged as: as few as possible.</summary>
    public static IReadOnlyList<long> BlockSizes(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var sizes = new List<long>();
        var left = length;
        do
        {
            var size = Math.Min(left, MaxBlockBytes);
            sizes.Add(size);
            left -= size;
        }
        while (left > 0);

        return sizes;
    }
}
