using System.Text;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>
/// One hostile request written by hand. <see cref="Target"/> is the request target exactly as sent
/// (percent-encoded path and query). <see cref="DeclaredLength"/> overrides the Content-Length header
/// (absurd lengths).
/// </summary>
public sealed record FuzzCase(string Category, string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public bool Signed { get; init; } = true;

    public string PayloadHash { get; init; } = "UNSIGNED-PAYLOAD";

    public string? DeclaredLength { get; init; }

    /// <summary>
    /// The body is shorter than a valid declared length and the client ends its side: Kestrel treats that as
    /// the client going away, so the answer may be a 400 or nothing at all.
    /// </summary>
    public bool EndsEarly => long.TryParse(DeclaredLength, out var declared) && declared > Body.Length;

    public override string ToString()
    {
        var target = Target.Length > 160 ? Target[..160] + "…" : Target;
        return $"[{Category}] {Method} {target} ({Body.Length} bytes{(Signed ? ", signed" : string.Empty)}{(DeclaredLength is null ? string.Empty : ", Content-Length " + DeclaredLength)}) {string.Join("; ", Headers.Select(h => h.Name + ": " + (h.Value.Length > 60 ? h.Value[..60] + "…" : h.Value)))}";
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
