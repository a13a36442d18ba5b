namespace R2Meta.Domain.Storage;

/// <summary>
/// One entry in listing order: an object, or a common prefix / subdirectory (then <see cref="Object"/>
/// is null and <see cref="Name"/> is the prefix).
/// </summary>
public readonly record struct ListEntry(string Name, ObjectRecord? Object)
{
    public bool IsCommonPrefix => Object is null;

    public static ListEntry Of(ObjectRecord record) => new(record.Key, record);

    public static ListEntry Prefix(string name) => new(name, null);
}
