using System.Text.Json;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Cli;

/// <summary>Versioning through `aws s3api`: enable, overwrite, list versions, read an old version, delete a marker away.</summary>
public sealed class AwsCliVersioningTests(TablesHost host) : IClassFixture<TablesHost>
{
    [Fact]
    public async Task EnableOverwriteListGetOldDelete_ThroughTheCli()
    {
        var bucket = Names.Bucket("cliver");
        Assert.Equal(0, (await AwsCli.RunAsync(host, "s3", "mb", "s3://" + bucket)).ExitCode);
        var work = Directory.CreateTempSubdirectory("cli-versions").FullName;
        var one = Path.Combine(work, "one.txt");
        var two = Path.Combine(work, "two.txt");
        await File.WriteAllTextAsync(one, "one");
        await File.WriteAllTextAsync(two, "two");

        var enable = await AwsCli.RunAsync(host, "s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled");
        Assert.True(enable.ExitCode == 0, enable.StdErr);
        var status = await AwsCli.RunAsync(host, "s3api", "get-bucket-versioning", "--bucket", bucket);
        Assert.Equal("Enabled", JsonDocument.Parse(status.StdOut).RootElement.GetProperty("Status").GetString());
        var first = await AwsCli.RunAsync(host, "s3api", "put-object", "--bucket", bucket, "--key", "k", "--body", one);
        var firstId = JsonDocument.Parse(first.StdOut).RootElement.GetProperty("VersionId").GetString();
        Assert.Equal(0, (await AwsCli.RunAsync(host, "s3api", "put-object", "--bucket", bucket, "--key", "k", "--body", two)).ExitCode);
        var delete = await AwsCli.RunAsync(host, "s3api", "delete-object", "--bucket", bucket, "--key", "k");
        Assert.True(JsonDocument.Parse(delete.StdOut).RootElement.GetProperty("DeleteMarker").GetBoolean());

        var list = await AwsCli.RunAsync(host, "s3api", "list-object-versions", "--bucket", bucket);
        Assert.True(list.ExitCode == 0, list.StdErr);
        var listed = JsonDocument.Parse(list.StdOut).RootElement;
        var oldPath = Path.Combine(work, "old.txt");
        var old = await AwsCli.RunAsync(host, "s3api", "get-object", "--bucket", bucket, "--key", "k", "--version-id", firstId!, oldPath);

        Assert.Equal(2, listed.GetProperty("Versions").GetArrayLength());
        Assert.Equal(1, listed.GetProperty("DeleteMarkers").GetArrayLength());
        Assert.True(listed.GetProperty("DeleteMarkers")[0].GetProperty("IsLatest").GetBoolean());
        Assert.True(old.ExitCode == 0, old.StdErr);
        Assert.Equal("one", await File.ReadAllTextAsync(oldPath));
    }
}
