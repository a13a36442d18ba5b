using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>Clients and helpers shared by the fault tests.</summary>
public static class FaultClients
{
    /// <summary>Long mode (R2META_FAULTS_LONG=1): more kills, more fuzzed requests, longer histories.</summary>
    public static bool LongMode => Environment.GetEnvironmentVariable("R2META_FAULTS_LONG") is "1" or "true";

    /// <summary>A path-style client without SDK retries: one call is one request, so a history records what the server did.</summary>
    public static AmazonS3Client Create(Uri endpoint, TimeSpan? timeout = null) =>
        new(new BasicAWSCredentials(TestAccounts.FirstKey, TestAccounts.FirstSecret), new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    /// <summary>The quoted S3 ETag of a single-part body.</summary>
    public static string ETagOf(byte[] body) => "\"" + Convert.ToHexStringLower(MD5.HashData(body)) + "\"";

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>True for an S3 error answer the server chose to give (a 4xx); false for a 5xx or no answer at all.</summary>
    public static bool IsDefiniteRejection(Exception e) =>
        e is AmazonS3Exception { StatusCode: >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError };

    /// <summary>A 503 answer: the server gave up on a slow or unreachable store; what it had sent may have been applied.</summary>
    public static bool IsStoreTrouble(Exception e) =>
        e is AmazonS3Exception { StatusCode: HttpStatusCode.ServiceUnavailable };
}
