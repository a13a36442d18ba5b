namespace R2Meta.Domain.Storage;

/// <summary>How a metadata write is conditioned: the single conditional write that commits a mutation.</summary>
public readonly record struct WriteCondition(WriteConditionKind Kind, string? Version)
{
    /// <summary>Create only if no document exists (create-if-absent).</summary>
    public static WriteCondition IfAbsent => new(WriteConditionKind.IfAbsent, null);

    /// <summary>Replace only if the current document has this version.</summary>
    public static WriteCondition IfVersion(string version) => new(WriteConditionKind.IfVersion, version);
}

public enum WriteConditionKind
{
    IfAbsent = 0,
    IfVersion = 1,
}
