namespace R2Meta.Domain.Accounts;

/// <summary>
/// What a key may do, as R2's API token permissions. Stored with each key: values are explicit and never change.
/// </summary>
public enum PermissionLevel
{
    /// <summary>Create, list and delete buckets, edit bucket configuration; read, write and list objects.</summary>
    AdminReadWrite = 0,

    /// <summary>List buckets and view bucket configuration; read and list objects.</summary>
    AdminRead = 1,

    /// <summary>Read, write and list objects (optionally in named buckets only).</summary>
    ObjectReadWrite = 2,

    /// <summary>Read and list objects (optionally in named buckets only).</summary>
    ObjectRead = 3,
}

/// <summary>The names <c>script/keys</c> and listings use for <see cref="PermissionLevel"/>.</summary>
public static class PermissionLevels
{
    public static IReadOnlyList<string> Names { get; } = ["admin-read-write", "admin-read", "object-read-write", "object-read"];

    public static string Name(PermissionLevel level) => level switch
    {
        PermissionLevel.AdminReadWrite => "admin-read-write",
        PermissionLevel.AdminRead => "admin-read",
        PermissionLevel.ObjectReadWrite => "object-read-write",
        PermissionLevel.ObjectRead => "object-read",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown permission level."),
    };

    public static PermissionLevel? Parse(string name) => name switch
    {
        "admin-read-write" => PermissionLevel.AdminReadWrite,
        "admin-read" => PermissionLevel.AdminRead,
        "object-read-write" => PermissionLevel.ObjectReadWrite,
        "object-read" => PermissionLevel.ObjectRead,
        _ => null,
    };
}
