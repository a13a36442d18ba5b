using R2Meta.Domain.Accounts;
using R2Meta.S3.Auth;

namespace R2Meta.Unit.Tests.Auth;

public sealed class AccountDirectoryTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Parse_Blank_YieldsDevelopmentAccount(string? spec)
    {
        var directory = AccountDirectory.Parse(spec);

        var account = Assert.Single(directory.Accounts);
        Assert.Equal(("r2meta-dev", "r2meta-dev-secret-key", "r2meta-dev"), (account.AccessKeyId, account.SecretAccessKey, account.DisplayName));
        // sha256("r2meta-dev"), lower-case hex.
        Assert.Matches("^[0-9a-f]{64}$", account.CanonicalUserId);
        Assert.Same(AccountDirectory.DevelopmentAccount, directory.Find("r2meta-dev"));
    }

    [Fact]
    public void Parse_Entries_FillsDefaults()
    {
        var directory = AccountDirectory.Parse("AK1:s1, AK2:s2:owner2:Display: Name");

        Assert.Equal(2, directory.Accounts.Count);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("AK1"u8)), directory.Find("AK1")!.CanonicalUserId);
        Assert.Equal("AK1", directory.Find("AK1")!.DisplayName);
        Assert.Equal(("owner2", "Display: Name"), (directory.Find("AK2")!.CanonicalUserId, directory.Find("AK2")!.DisplayName));
        Assert.Null(directory.Find("ak1"));
    }

    [Theory]
    [InlineData("AK1")]
    [InlineData("AK1:")]
    [InlineData(":secret")]
    [InlineData("AK1:s1,,AK2:s2")]
    [InlineData("AK1:s1,AK1:s2")]
    public void Parse_Malformed_ThrowsArgumentExceptionWithoutSecret(string spec)
    {
        var exception = Assert.Throws<ArgumentException>(() => AccountDirectory.Parse(spec));

        Assert.Contains("R2META_CREDENTIALS", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Account_ToString_HidesSecret() =>
        Assert.DoesNotContain("secret-value", new Account("AK", "secret-value", "id", "name").ToString(), StringComparison.Ordinal);
}
