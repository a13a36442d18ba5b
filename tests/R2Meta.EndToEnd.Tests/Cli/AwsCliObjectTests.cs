using System.Security.Cryptography;
using System.Text.Json;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Cli;

/// <summary>The AWS CLI's object commands against a running host.</summary>
public sealed class AwsCliObjectTests(TablesHost host) : IClassFixture<TablesHost>
{
    [Fact]
    public async Task CopyUpAndDown_HeadCopyAndRangedGet_Work()
    {
        var bucket = Names.Bucket("cliobj");
        Assert.Equal(0, (await AwsCli.RunAsync(host, "s3", "mb", "s3://" + bucket)).ExitCode);

        var work = Directory.CreateTempSubdirectory("cli-objects").FullName;
        var local = Path.Combine(work, "up.bin");
        var data = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(local, data);

        var up = await AwsCli.RunAsync(host, "s3", "cp", local, $"s3://{bucket}/files/up.bin");
        Assert.True(up.ExitCode == 0, up.StdErr);
        var downPath = Path.Combine(work, "down.bin");
        var down = await AwsCli.RunAsync(host, "s3", "cp", $"s3://{bucket}/files/up.bin", downPath);
        Assert.True(down.ExitCode == 0, down.StdErr);
        Assert.Equal(data, await File.ReadAllBytesAsync(downPath));

        var put = await AwsCli.RunAsync(host, "s3api", "put-object", "--bucket", bucket, "--key", "meta.bin", "--body", local, "--metadata", "team=storage,tier=gold", "--content-type", "application/x-test");
        Assert.True(put.ExitCode == 0, put.StdErr);
        var putETag = JsonDocument.Parse(put.StdOut).RootElement.GetProperty("ETag").GetString();
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", putETag);

        var head = await AwsCli.RunAsync(host, "s3api", "head-object", "--bucket", bucket, "--key", "meta.bin");
        Assert.True(head.ExitCode == 0, head.StdErr);
        var headJson = JsonDocument.Parse(head.StdOut).RootElement;
        Assert.Equal(300_000, headJson.GetProperty("ContentLength").GetInt64());
        Assert.Equal("application/x-test", headJson.GetProperty("ContentType").GetString());
        Assert.Equal("gold", headJson.GetProperty("Metadata").GetProperty("tier").GetString());

        var copy = await AwsCli.RunAsync(host, "s3api", "copy-object", "--bucket", bucket, "--key", "copied.bin", "--copy-source", $"{bucket}/meta.bin");
        Assert.True(copy.ExitCode == 0, copy.StdErr);
        Assert.Equal(putETag, JsonDocument.Parse(copy.StdOut).RootElement.GetProperty("CopyObjectResult").GetProperty("ETag").GetString());

        var rangePath = Path.Combine(work, "range.bin");
        var range = await AwsCli.RunAsync(host, "s3api", "get-object", "--bucket", bucket, "--key", "copied.bin", "--range", "bytes=100-199", rangePath);
        Assert.True(range.ExitCode == 0, range.StdErr);
        Assert.Equal(data[100..200], await File.ReadAllBytesAsync(rangePath));
        Assert.Equal("bytes 100-199/300000", JsonDocument.Parse(range.StdOut).RootElement.GetProperty("ContentRange").GetString());
    }

    [Fact]
    public async Task PutAndGetObjectTagging_RoundTripThroughTheCli()
    {
        var bucket = Names.Bucket("clitag");
        Assert.Equal(0, (await AwsCli.RunAsync(host, "s3", "mb", "s3://" + bucket)).ExitCode);
        var put = await AwsCli.RunAsync(host, "s3api", "put-object", "--bucket", bucket, "--key", "k", "--tagging", "team=storage&tier=gold");
        Assert.True(put.ExitCode == 0, put.StdErr);

        var replace = await AwsCli.RunAsync(host, "s3api", "put-object-tagging", "--bucket", bucket, "--key", "k",
            "--tagging", """{"TagSet": [{"Key": "project", "Value": "r2meta"}, {"Key": "env", "Value": "test"}]}""");
        Assert.True(replace.ExitCode == 0, replace.StdErr);
        var get = await AwsCli.RunAsync(host, "s3api", "get-object-tagging", "--bucket", bucket, "--key", "k");
        Assert.True(get.ExitCode == 0, get.StdErr);
        var tags = JsonDocument.Parse(get.StdOut).RootElement.GetProperty("TagSet").EnumerateArray()
            .Select(t => (t.GetProperty("Key").GetString(), t.GetProperty("Value").GetString())).ToList();

        Assert.Equal([("env", "test"), ("project", "r2meta")], tags);
        var tooMany = await AwsCli.RunAsync(host, "s3api", "put-object-tagging", "--bucket", bucket, "--key", "k",
            "--tagging", "{\"TagSet\": [" + string.Join(",", Enumerable.Range(0, 11).Select(i => $"{{\"Key\": \"k{i}\", \"Value\": \"v\"}}")) + "]}");
        Assert.NotEqual(0, tooMany.ExitCode);
        Assert.Contains("BadRequest", tooMany.StdErr, StringComparison.Ordinal);
    }
}
