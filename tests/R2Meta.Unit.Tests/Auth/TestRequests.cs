using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using R2Meta.Domain.Accounts;
using R2Meta.S3.Auth;
using R2Meta.S3.Protocol;

namespace R2Meta.Unit.Tests.Auth;

/// <summary>Builds requests over DefaultHttpContext with a raw target, and signs them as an SDK would.</summary>
internal static class TestRequests
{
    public static HttpRequest Create(string method, string rawTarget, IEnumerable<(string Name, string Value)> headers, byte[]? body = null, Stream? bodyStream = null)
    {
        var context = new DefaultHttpContext();
        var feature = context.Features.Get<IHttpRequestFeature>()!;
        feature.Method = method;
        feature.RawTarget = rawTarget;
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        feature.Path = Uri.UnescapeDataString(question < 0 ? rawTarget : rawTarget[..question]);
        feature.QueryString = question < 0 ? string.Empty : rawTarget[question..];
        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }

        if (body is not null)
        {
            context.Request.Body = bodyStream ?? new MemoryStream(body);
            context.Request.ContentLength ??= body.Length;
        }

        return context.Request;
    }

    /// <summary>Adds x-amz-date and an Authorization header signing every header present plus host.</summary>
    public static void SignHeader(HttpRequest request, Account account, DateTimeOffset time, string payloadHash, string region = "us-east-1")
    {
        var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers["x-amz-date"] = amzDate;
        request.Headers["x-amz-content-sha256"] = payloadHash;
        var names = request.Headers.Keys.Select(k => k.ToLowerInvariant()).Where(k => k != "authorization").Order(StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(';', names);
        var canonicalHeaders = SigV4Signer.CanonicalHeaders(names.Select(n => (n, string.Join(',', request.Headers[n].Select(v => SigV4Signer.CanonicalHeaderValue(v ?? ""))))));
        var (path, query) = Split(request.HttpContext.Features.Get<IHttpRequestFeature>()!.RawTarget);
        var canonical = SigV4Signer.CanonicalRequest(request.Method, SigV4Signer.CanonicalUri(path), SigV4Signer.CanonicalQuery(query, false), canonicalHeaders, signedHeaders, payloadHash);
        var scope = SigV4Signer.Scope(amzDate[..8], region, "s3");
        var signature = SigV4Signer.Sign(SigV4Signer.SigningKey(account.SecretAccessKey, amzDate[..8], region, "s3"), SigV4Signer.StringToSign(amzDate, scope, canonical));
        request.Headers.Authorization = $"AWS4-HMAC-SHA256 Credential={account.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <summary>A presigned target for path (already encoded), signing only host, as SDK presigners do.</summary>
    public static string Presign(string method, string host, string path, Account account, DateTimeOffset time, int expires, string extraQuery = "")
    {
        var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = SigV4Signer.Scope(amzDate[..8], "auto", "s3");
        var query = $"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={SigV4Signer.UriEncode(account.AccessKeyId + "/" + scope)}&X-Amz-Date={amzDate}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host";
        if (extraQuery.Length > 0)
        {
            query = extraQuery + "&" + query;
        }

        var canonical = SigV4Signer.CanonicalRequest(method, SigV4Signer.CanonicalUri(path), SigV4Signer.CanonicalQuery(query, false),
            SigV4Signer.CanonicalHeaders([("host", host)]), "host", "UNSIGNED-PAYLOAD");
        var signature = SigV4Signer.Sign(SigV4Signer.SigningKey(account.SecretAccessKey, amzDate[..8], "auto", "s3"), SigV4Signer.StringToSign(amzDate, scope, canonical));
        return $"{path}?{query}&X-Amz-Signature={signature}";
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));

    public static byte[] Ascii(string value) => Encoding.ASCII.GetBytes(value);

    /// <summary>Reads a stream to its end with the given read size, synchronously or asynchronously.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, int readSize = 8192, bool async = true)
    {
        var output = new MemoryStream();
        var buffer = new byte[readSize];
        while (true)
        {
            var read = async ? await stream.ReadAsync(buffer) : stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                return output.ToArray();
            }

            output.Write(buffer, 0, read);
        }
    }

    public static async Task<S3Error> ErrorAsync(Func<Task> action)
    {
        var exception = await Assert.ThrowsAsync<S3Exception>(action);
        return exception.Error;
    }

    public static S3Error Error(Action action) => Assert.Throws<S3Exception>(action).Error;

    private static (string Path, string Query) Split(string target)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (target, "") : (target[..question], target[(question + 1)..]);
    }
}

/// <summary>Returns at most one byte per read, to split chunk headers and boundaries everywhere.</summary>
internal sealed class OneByteStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1));
    public override int Read(Span<byte> buffer) => inner.Read(buffer[..Math.Min(buffer.Length, 1)]);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer[..Math.Min(buffer.Length, 1)], cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A clock fixed at one instant.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
