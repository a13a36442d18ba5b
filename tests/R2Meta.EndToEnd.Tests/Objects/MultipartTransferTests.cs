using System.Security.Cryptography;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>Big multipart transfers with real client tooling; Tables only, to keep the suite fast.</summary>
public sealed class MultipartTransferTests(TablesHost host) : IClassFixture<TablesHost>
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task MultipartTransferUtility_200MBIn8MBPartsInParallel_DownloadsByteExact()
    {
        using var s3 = S3Clients.PathStyle(host);
        var bucket = Names.Bucket("tu");
        await s3.PutBucketAsync(bucket);
        var work = Directory.CreateTempSubdirectory("transfer").FullName;
        try
        {
            var local = Path.Combine(work, "up.bin");
            var partHashes = await WriteRandomFileAsync(local, 200 * MiB, 8 * MiB);
            var transfer = new TransferUtility(s3, new TransferUtilityConfig { ConcurrentServiceRequests = 8 });

            await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = bucket, Key = "big/200mb.bin", FilePath = local, PartSize = 8 * MiB });

            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "big/200mb.bin", PartNumber = 1 });
            Assert.Equal(8 * MiB, head.ContentLength);
            Assert.Equal(25, head.PartsCount);
            Assert.Equal(ExpectedETag(partHashes), head.ETag);

            var down = Path.Combine(work, "down.bin");
            await transfer.DownloadAsync(new TransferUtilityDownloadRequest { BucketName = bucket, Key = "big/200mb.bin", FilePath = down });
            Assert.True(await FilesEqualAsync(local, down), "The downloaded file differs from the uploaded one.");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task MultipartAwsCli_Copy100MB_UploadsInPartsAndDownloadsByteExact()
    {
        var bucket = Names.Bucket("climpu");
        Assert.Equal(0, (await AwsCli.RunAsync(host, "s3", "mb", "s3://" + bucket)).ExitCode);
        var work = Directory.CreateTempSubdirectory("cli-mpu").FullName;
        try
        {
            var local = Path.Combine(work, "up.bin");
            // The CLI's defaults: multipart above 8 MiB, 8 MiB parts.
            var partHashes = await WriteRandomFileAsync(local, 100 * MiB, 8 * MiB);

            var up = await AwsCli.RunAsync(host, "s3", "cp", local, $"s3://{bucket}/cli/100mb.bin");
            Assert.True(up.ExitCode == 0, up.StdErr);

            using var s3 = S3Clients.PathStyle(host);
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "cli/100mb.bin" });
            Assert.Equal(100 * MiB, head.ContentLength);
            Assert.Equal(ExpectedETag(partHashes), head.ETag);
            Assert.EndsWith("-13\"", head.ETag, StringComparison.Ordinal);

            var down = Path.Combine(work, "down.bin");
            var get = await AwsCli.RunAsync(host, "s3", "cp", $"s3://{bucket}/cli/100mb.bin", down);
            Assert.True(get.ExitCode == 0, get.StdErr);
            Assert.True(await FilesEqualAsync(local, down), "The downloaded file differs from the uploaded one.");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Writes random bytes chunk by chunk (never the whole file in memory) and returns each part's MD5.</summary>
    private static async Task<List<byte[]>> WriteRandomFileAsync(string path, int size, int partSize)
    {
        var hashes = new List<byte[]>();
        await using var file = File.Create(path);
        for (var offset = 0; offset < size; offset += partSize)
        {
            var chunk = RandomNumberGenerator.GetBytes(Math.Min(partSize, size - offset));
            hashes.Add(MD5.HashData(chunk));
            await file.WriteAsync(chunk);
        }

        return hashes;
    }

    private static string ExpectedETag(List<byte[]> partMd5s) =>
        $"\"{Convert.ToHexStringLower(MD5.HashData(partMd5s.SelectMany(h => h).ToArray()))}-{partMd5s.Count}\"";

    private static async Task<bool> FilesEqualAsync(string a, string b)
    {
        await using var x = File.OpenRead(a);
        await using var y = File.OpenRead(b);
        var hashX = await SHA256.HashDataAsync(x);
        var hashY = await SHA256.HashDataAsync(y);
        return x.Length == y.Length && hashX.SequenceEqual(hashY);
    }
}
