using Azure.Data.Tables;

namespace R2Meta.Storage.Tables;

/// <summary>
/// A byte array longer than one Table Storage property holds (64 KiB of binary) stored as numbered binary
/// properties: <c>name</c>, <c>name1</c>, <c>name2</c>, … each at most <see cref="MaxChunkBytes"/>.
/// </summary>
internal static class ChunkedBinary
{
    public const int MaxChunkBytes = 64 * 1024;

    public static void Write(TableEntity entity, string name, byte[] bytes)
    {
        var chunk = 0;
        var offset = 0;
        do
        {
            var length = Math.Min(MaxChunkBytes, bytes.Length - offset);
            entity[PropertyName(name, chunk)] = bytes.AsSpan(offset, length).ToArray();
            offset += length;
            chunk++;
        }
        while (offset < bytes.Length);
    }

    /// <summary>The concatenated chunks; null when the entity has none.</summary>
    public static byte[]? Read(TableEntity entity, string name)
    {
        if (entity.GetBinary(name) is not { } first)
        {
            return null;
        }

        using var all = new MemoryStream(first.Length);
        all.Write(first);
        for (var chunk = 1; entity.GetBinary(PropertyName(name, chunk)) is { } next; chunk++)
        {
            all.Write(next);
        }

        return all.ToArray();
    }

    private static string PropertyName(string name, int chunk) =>
        chunk == 0 ? name : name + chunk.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
