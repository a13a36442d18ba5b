using System.Text.Json;
using Azure.Data.Tables;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// A tag set as a UTF-8 JSON array in binary properties (<see cref="ChunkedBinary"/>): 50 bucket tags of up to
/// 384 characters, escaped, can pass one property's 64 KiB. Absent when there are no tags (and in older entities).
/// </summary>
internal static class TagsProperty
{
    public const string Name = "Tags";

    public static void Write(TableEntity entity, IReadOnlyList<Tag>? tags)
    {
        if (tags is not null)
        {
            ChunkedBinary.Write(entity, Name, JsonSerializer.SerializeToUtf8Bytes(tags));
        }
    }

    public static Tag[]? Read(TableEntity entity) =>
        ChunkedBinary.Read(entity, Name) is { } bytes ? JsonSerializer.Deserialize<Tag[]>(bytes) : null;
}
