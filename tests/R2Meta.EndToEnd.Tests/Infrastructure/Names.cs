namespace R2Meta.EndToEnd.Tests.Infrastructure;

public static class Names
{
    /// <summary>A fresh, valid, globally unique bucket name.</summary>
    public static string Bucket(string stem = "b") => $"{stem}-{Guid.NewGuid():N}"[..Math.Min(63, stem.Length + 33)];
}
