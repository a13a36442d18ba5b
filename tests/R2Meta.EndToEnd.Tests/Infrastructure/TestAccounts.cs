namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>The two accounts every test server is started with.</summary>
public static class TestAccounts
{
    public const string FirstKey = "AKIDFIRSTACCOUNT";
    public const string FirstSecret = "first/secret+key0123456789abcdefghijklm";
    public const string FirstCanonicalId = "1111111111111111111111111111111111111111111111111111111111111111";
    public const string SecondKey = "AKIDSECONDACCOUNT";
    public const string SecondSecret = "second/secret+key0123456789abcdefghijkl";

    public static string Spec => $"{FirstKey}:{FirstSecret}:{FirstCanonicalId}:first-user,{SecondKey}:{SecondSecret}";
}
