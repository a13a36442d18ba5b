namespace R2Meta.Domain.Accounts;

/// <summary>An access key, the identity it authenticates as and what it may do.</summary>
public sealed record Account(string AccessKeyId, string SecretAccessKey, string CanonicalUserId, string DisplayName)
{
    /// <summary>The key's permission level and bucket scope; bootstrap keys (R2META_CREDENTIALS) have full access.</summary>
    public AccessGrant Grant { get; init; } = AccessGrant.Full;

    // Records print every property; keep the secret out of logs and exception messages.
    public override string ToString() => $"Account {{ AccessKeyId = {AccessKeyId}, DisplayName = {DisplayName}, Grant = {Grant} }}";
}
