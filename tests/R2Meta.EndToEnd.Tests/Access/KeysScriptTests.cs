using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Access;

/// <summary>
/// <c>script/keys</c> as an operator runs it, against the running host's store (Tables): create prints a key that
/// works over S3 with its permission, list shows it without its secret, rotate replaces the secret, revoke ends it.
/// </summary>
public sealed partial class KeysScriptTests(TablesKeysHost host, ITestOutputHelper output) : IClassFixture<TablesKeysHost>
{
    private int _built;

    [Fact]
    public async Task ScriptKeys_CreateListRotateRevoke_AgainstTheServersStore()
    {
        using var admin = S3Clients.PathStyle(host);
        var bucket = Names.Bucket("cli");
        await admin.PutBucketAsync(bucket);
        await admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "value" });

        var created = await RunAsync("create", "--level", "object-read", "--bucket", bucket);
        var (id, secret) = Issued(created);
        using (var reader = S3Clients.PathStyle(host, id, secret))
        {
            using var get = await reader.GetObjectAsync(bucket, "k");
            var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => reader.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "w", ContentBody = "x" }));
            Assert.Equal("AccessDenied", denied.ErrorCode);
        }

        var listed = await RunAsync("list");
        Assert.Matches($"{id}\\s+active\\s+object-read\\s+{bucket}", listed);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);

        var (_, rotatedSecret) = Issued(await RunAsync("rotate", id));
        Assert.NotEqual(secret, rotatedSecret);
        using (var rotated = S3Clients.PathStyle(host, id, rotatedSecret))
        {
            using var get = await rotated.GetObjectAsync(bucket, "k");
        }

        await RunAsync("revoke", id);
        Assert.Matches($"{id}\\s+revoked", await RunAsync("list"));
        var refused = Stopwatch.StartNew();
        using var revoked = S3Clients.PathStyle(host, id, rotatedSecret);
        while (true)
        {
            try
            {
                using var get = await revoked.GetObjectAsync(bucket, "k");
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "InvalidAccessKeyId")
            {
                break;
            }

            Assert.True(refused.Elapsed < TimeSpan.FromSeconds(10), "the revoked key still works");
            await Task.Delay(100);
        }

        output.WriteLine($"revoked through script/keys; refused after {refused.Elapsed.TotalSeconds:F2} s");
        var usage = await RunAsync(2, "create", "--level", "admin-read", "--bucket", bucket);
        Assert.Contains("only object-read-write and object-read keys can be limited", usage, StringComparison.Ordinal);
    }

    private static (string Id, string Secret) Issued(string text) =>
        (IssuedId().Match(text).Groups[1].Value, IssuedSecret().Match(text).Groups[1].Value) is var (id, secret) && id.Length == 32 && secret.Length == 64
            ? (id, secret)
            : throw new InvalidOperationException("script/keys printed no key:\n" + text);

    private Task<string> RunAsync(params string[] args) => RunAsync(0, args);

    private async Task<string> RunAsync(int expectedExit, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "script", "keys"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in host.HostSettings)
        {
            if (name.StartsWith("R2META_", StringComparison.Ordinal) && name != "R2META_PORT")
            {
                start.Environment[name] = value;
            }
        }

        // The first call builds the server project; the others reuse that build.
        if (Interlocked.Exchange(ref _built, 1) == 1)
        {
            start.Environment["R2META_KEYS_NO_BUILD"] = "1";
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        Assert.True(process.ExitCode == expectedExit, $"script/keys {string.Join(' ', args)} exited {process.ExitCode}:\n{text}");
        return text;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "R2Meta.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("R2Meta.Functions.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Access Key ID:\s+([0-9a-f]{32})")]
    private static partial Regex IssuedId();

    [GeneratedRegex(@"Secret Access Key:\s+([0-9a-f]{64})")]
    private static partial Regex IssuedSecret();
}
