namespace R2Meta.Domain.Accounts;

/// <summary>An access key and the identity it authenticates as.</summary>
public sealed record Account(string AccessKeyId, string SecretAccessKey, string CanonicalUserId, string DisplayName)
{
    // Records print every property; keep the secret out of logs and exception messages.
    public override string ToString() => $"Account {{ AccessKeyId = {AccessKeyId}, DisplayName = {DisplayName} }}";
}
