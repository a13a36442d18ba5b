using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Hand-made HTTP requests for what SDKs refuse to send (invalid names, malformed auth). Signs with
/// a minimal SigV4 written here, independent of the server's implementation.
/// </summary>
public static class RawRequests
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    public static Task<HttpResponseMessage> SendSignedAsync(
        R2MetaHost host,
        HttpMethod method,
        string pathAndQuery,
        HttpContent? content = null,
        IReadOnlyDictionary<string, string>? headers = null,
        string accessKey = TestAccounts.FirstKey,
        string secret = TestAccounts.FirstSecret,
        DateTimeOffset? now = null)
    {
        var request = new HttpRequestMessage(method, new Uri(host.Endpoint, pathAndQuery)) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        Sign(request, accessKey, secret, now ?? DateTimeOffset.UtcNow);
        return Http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => Http.SendAsync(request);

    public static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
        {
            return null;
        }

        return XDocument.Parse(text).Root?.Element("Code")?.Value;
    }

    /// <summary>SigV4 over host, x-amz-content-sha256 (UNSIGNED-PAYLOAD unless <paramref name="payloadHash"/> says otherwise), x-amz-date.</summary>
    public static void Sign(HttpRequestMessage request, string accessKey, string secret, DateTimeOffset now, string payloadHash = "UNSIGNED-PAYLOAD")
    {
        var uri = request.RequestUri!;
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        foreach (var (name, value) in SignatureHeaders(request.Method.Method, uri.AbsolutePath, uri.Query, host, accessKey, secret, now, payloadHash))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>
    /// The x-amz-date, x-amz-content-sha256 and Authorization headers signing a request for <paramref name="path"/>
    /// and <paramref name="query"/> as sent on the wire (percent-encoded), for requests written by hand.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> SignatureHeaders(
        string method, string path, string query, string host, string accessKey, string secret, DateTimeOffset now, string payloadHash = "UNSIGNED-PAYLOAD")
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        const string region = "us-east-1";
        var canonicalQuery = string.Join("&", query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        var canonicalPath = string.Join("/", path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));
        const string signedHeaders = "host;x-amz-content-sha256;x-amz-date";
        var canonicalRequest = string.Join("\n",
            method, canonicalPath, canonicalQuery,
            "host:" + host, "x-amz-content-sha256:" + payloadHash, "x-amz-date:" + amzDate, string.Empty,
            signedHeaders, payloadHash);
        var scope = $"{date}/{region}/s3/aws4_request";
        var stringToSign = string.Join("\n", "AWS4-HMAC-SHA256", amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, "s3");
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        return
        [
            ("x-amz-date", amzDate),
            ("x-amz-content-sha256", payloadHash),
            ("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}"),
        ];
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Encode(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
