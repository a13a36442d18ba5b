using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Browser form uploads (PostObject) made by hand: a SigV4 POST policy signed here, independent of the server
/// (the signature is the hex HMAC-SHA256 of the base64 policy under the SigV4 signing key), and the
/// multipart/form-data body a browser sends, with the file part last (or streamed from any stream).
/// </summary>
public static class PostForms
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>
    /// The signed fields of a form: <paramref name="fields"/> plus policy, x-amz-algorithm, -credential, -date and
    /// -signature. <paramref name="conditions"/> are JSON conditions; the x-amz-* fields' own conditions are added,
    /// as the SDKs add them.
    /// </summary>
    public static List<KeyValuePair<string, string>> Sign(
        IEnumerable<KeyValuePair<string, string>> fields,
        IEnumerable<string> conditions,
        DateTimeOffset? expiration = null,
        string accessKey = TestAccounts.FirstKey,
        string secret = TestAccounts.FirstSecret)
    {
        var now = DateTimeOffset.UtcNow;
        var date = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var credential = $"{accessKey}/{date}/us-east-1/s3/aws4_request";
        var signing = new List<KeyValuePair<string, string>>
        {
            new("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            new("x-amz-credential", credential),
            new("x-amz-date", amzDate),
        };
        var all = conditions.Concat(signing.Select(f => JsonSerializer.Serialize(new Dictionary<string, string> { [f.Key] = f.Value })));
        var expires = (expiration ?? now.AddHours(1)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var policy = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"expiration": "{{expires}}", "conditions": [{{string.Join(", ", all)}}]}"""));
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date), "us-east-1"), "s3"), "aws4_request");
        return [.. fields, new("policy", policy), .. signing, new("x-amz-signature", Convert.ToHexStringLower(Hmac(key, policy)))];
    }

    /// <summary>POSTs the form to <paramref name="url"/>, the file part (named <paramref name="fileName"/>) last.</summary>
    public static Task<HttpResponseMessage> PostAsync(Uri url, IEnumerable<KeyValuePair<string, string>> fields, Stream file, string fileName = "upload.bin")
    {
        var content = new MultipartFormDataContent("----r2meta" + Guid.NewGuid().ToString("N"));
        foreach (var (name, value) in fields)
        {
            // Browsers send bare field parts: no Content-Type, the name quoted.
            var part = new StringContent(value, Encoding.UTF8);
            part.Headers.ContentType = null;
            content.Add(part, $"\"{name}\"");
        }

        var filePart = new StreamContent(file, 64 * 1024);
        filePart.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // As a browser: filename only (MultipartFormDataContent would add filename* too).
        filePart.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = $"\"{fileName}\"" };
        content.Add(filePart);
        return Http.PostAsync(url, content);
    }

    public static Uri BucketUrl(R2MetaHost host, string bucket) => new(host.Endpoint, "/" + bucket);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
