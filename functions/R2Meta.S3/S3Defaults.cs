namespace R2Meta.S3;

/// <summary>Protocol defaults, defined once; settings and tests start from these.</summary>
public static class S3Defaults
{
    /// <summary>Virtual-hosted-style requests address <c>bucket.localhost</c> unless configured.</summary>
    public const string BaseDomain = "localhost";
}
