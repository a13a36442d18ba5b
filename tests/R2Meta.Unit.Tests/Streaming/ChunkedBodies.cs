using System.Text;
using R2Meta.Domain.Accounts;
using R2Meta.S3.Auth;

namespace R2Meta.Unit.Tests.Streaming;

/// <summary>Encodes aws-chunked bodies the way SDKs do, signing chunks and trailer when given a key.</summary>
internal static class ChunkedBodies
{
    public sealed record Signing(byte[] Key, string AmzDate, string Scope, string SeedSignature);

    public static byte[] Encode(IEnumerable<byte[]> chunks, IReadOnlyList<(string Name, string Value)> trailers, Signing? signing)
    {
        var body = new MemoryStream();
        void Write(string s) => body.Write(Encoding.ASCII.GetBytes(s));
        var previous = signing?.SeedSignature;
        foreach (var chunk in chunks.Append([]))
        {
            var extension = "";
            if (signing is not null)
            {
                previous = SigV4Signer.Sign(signing.Key, SigV4Signer.ChunkStringToSign(signing.AmzDate, signing.Scope, previous!, Auth.TestRequests.Sha256Hex(chunk)));
                extension = ";chunk-signature=" + previous;
            }

            Write($"{chunk.Length:x}{extension}\r\n");
            body.Write(chunk);
            if (chunk.Length > 0)
            {
                Write("\r\n");
            }
        }

        foreach (var (name, value) in trailers)
        {
            Write($"{name}:{value}\r\n");
        }

        if (signing is not null && trailers.Count > 0)
        {
            var canonical = string.Concat(trailers.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => $"{t.Name}:{t.Value}\n"));
            Write($"x-amz-trailer-signature:{SigV4Signer.Sign(signing.Key, SigV4Signer.TrailerStringToSign(signing.AmzDate, signing.Scope, previous!, canonical))}\r\n");
        }

        Write("\r\n");
        return body.ToArray();
    }

    /// <summary>The signing context the authenticator will derive for a request signed by TestRequests.SignHeader.</summary>
    public static Signing For(Microsoft.AspNetCore.Http.HttpRequest request, Account account, string region = "us-east-1")
    {
        var amzDate = request.Headers["x-amz-date"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        var seed = authorization[(authorization.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..];
        return new Signing(SigV4Signer.SigningKey(account.SecretAccessKey, amzDate[..8], region, "s3"), amzDate, SigV4Signer.Scope(amzDate[..8], region, "s3"), seed);
    }
}
