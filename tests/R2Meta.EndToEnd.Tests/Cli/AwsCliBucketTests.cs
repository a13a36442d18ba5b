using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Cli;

/// <summary>The AWS CLI against a running host: s3 mb, ls, rb.</summary>
public sealed class AwsCliBucketTests(TablesHost host) : IClassFixture<TablesHost>
{
    [Fact]
    public async Task MakeListRemoveBucket_Succeeds()
    {
        var bucket = Names.Bucket("cli");
        var mb = await AwsCli.RunAsync(host, "s3", "mb", "s3://" + bucket);
        Assert.True(mb.ExitCode == 0, mb.StdErr);
        Assert.Contains("make_bucket: " + bucket, mb.StdOut, StringComparison.Ordinal);

        var ls = await AwsCli.RunAsync(host, "s3", "ls");
        Assert.True(ls.ExitCode == 0, ls.StdErr);
        Assert.Contains(bucket, ls.StdOut, StringComparison.Ordinal);

        var rb = await AwsCli.RunAsync(host, "s3", "rb", "s3://" + bucket);
        Assert.True(rb.ExitCode == 0, rb.StdErr);

        var after = await AwsCli.RunAsync(host, "s3", "ls");
        Assert.DoesNotContain(bucket, after.StdOut, StringComparison.Ordinal);
    }
}
