using System.Diagnostics.CodeAnalysis;

namespace R2Meta.Domain.Outcomes;

/// <summary>
/// What a domain operation produced: a value, or the <see cref="DomainError"/> that stopped it (Garnet's
/// status-returning style). A struct, so success costs no allocation. Exceptions remain for broken
/// invariants and for failures of the request body while it is being read.
/// </summary>
public readonly struct Outcome<T>
{
    private readonly T _value;

    public Outcome(T value)
    {
        _value = value;
        Error = null;
    }

    public Outcome(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _value = default!;
        Error = error;
    }

    /// <summary>Null on success.</summary>
    public DomainError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    /// <summary>The value; reading it from a failed outcome is a programming error.</summary>
    public T Value => Error is null ? _value : throw new InvalidOperationException($"The operation failed with {Error.Failure}; there is no value.");

    public static implicit operator Outcome<T>(T value) => new(value);

    public static implicit operator Outcome<T>(DomainError error) => new(error);

    public static Outcome<T> FromValue(T value) => new(value);

    public static Outcome<T> FromError(DomainError error) => new(error);
}

/// <summary>An <see cref="Outcome{T}"/> without a value: success, or the error that stopped the operation.</summary>
public readonly struct Outcome
{
    public Outcome(DomainError? error) => Error = error;

    public static Outcome Ok => default;

    /// <summary>Null on success.</summary>
    public DomainError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    public static implicit operator Outcome(DomainError error) => new(error);

    public static Outcome FromError(DomainError error) => new(error);
}
