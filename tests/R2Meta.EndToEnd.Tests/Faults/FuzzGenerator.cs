using System.Globalization;
using System.Text;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>
/// A seeded generator of hostile S3 requests: malformed XML for every operation that reads XML, bad query
/// values and headers for every operation, broken aws-chunked framing and signatures, absurd lengths and
/// edge-case keys. The same seed gives the same requests. It never names <see cref="CanaryKey"/>.
/// </summary>
public sealed class FuzzGenerator(int seed, string bucket, string uploadKey, string uploadId)
{
    public const string CanaryKey = "canary";

    private readonly Random _random = new(seed);

    private static readonly (string Method, string Level, string Query)[] Operations =
    [
        ("GET", "service", ""), ("GET", "bucket", "location"), ("GET", "bucket", "uploads"), ("GET", "bucket", "versions"),
        ("GET", "bucket", "list-type=2"), ("GET", "bucket", ""), ("PUT", "bucket", ""), ("HEAD", "bucket", ""), ("DELETE", "bucket", ""),
        ("POST", "bucket", "delete"), ("PUT", "object", "uploadId=U&partNumber=1"), ("PUT", "object", ""), ("GET", "object", "uploadId=U"),
        ("GET", "object", ""), ("HEAD", "object", ""), ("POST", "object", "uploads"), ("POST", "object", "uploadId=U"),
        ("DELETE", "object", "uploadId=U"), ("DELETE", "object", ""), ("GET", "bucket", "acl"), ("PUT", "object", "tagging"),
    ];

    private static readonly string[] QueryNames =
    [
        "max-keys", "prefix", "delimiter", "marker", "continuation-token", "start-after", "encoding-type", "fetch-owner", "list-type",
        "uploadId", "partNumber", "max-parts", "part-number-marker", "max-uploads", "key-marker", "upload-id-marker", "versionId",
        "response-content-type", "response-content-disposition", "response-expires", "response-cache-control", "X-Amz-Expires",
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "x-id", "acl", "policy",
    ];

    private static readonly string[] BadValues =
    [
        "", "-1", "0", "abc", "99999999999999999999999", "2147483648", "-2147483649", "1e9", "0x10", "%FF", "%C3%28", "%00", "%0D%0AX-Injected:%201",
        "%E2%80%AE", "..%2F..%2Fetc", "1.5", "+1", " 1", "%20", "true", "url", "bogus", new string('a', 5000), "%25%25%25",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "eyJrIjoiLi4vIn0%3D", "10001", "1000001", "%F0%9F%92%A9",
    ];

    private static readonly (string Name, string[] Values)[] BadHeaders =
    [
        ("Range", ["bytes=abc", "bytes=5-1", "bytes=-0", "bytes=99999999999999999999-", "bytes=0-1,2-3", "bytes=--1", "items=0-1", "bytes="]),
        ("x-amz-copy-source", ["", "/", "garbage", "/nobucket", "%FF%FE", "/b/" + new string('k', 3000), "/x/y?versionId=%00", "\u00e9\u00e9"]),
        ("x-amz-copy-source-range", ["bytes=abc", "bytes=9-1", "bytes=0-99999999999999999999"]),
        ("If-Match", ["", "*", "\"unterminated", new string('"', 100)]),
        ("If-None-Match", ["", "garbage", "*"]),
        ("If-Modified-Since", ["yesterday", "Mon, 99 Foo 9999 99:99:99 GMT", "0"]),
        ("If-Unmodified-Since", ["not a date", "Thu, 01 Jan 1970 00:00:00 GMT"]),
        ("Content-MD5", ["", "not-base64!!", "AAAA", "1B2M2Y8AsgTpgAmY7PhCfg=="]),
        ("x-amz-checksum-crc32", ["", "garbage", "AAAAAAAAAAAA"]),
        ("x-amz-checksum-sha256", ["zzz", "AAAA"]),
        ("x-amz-checksum-algorithm", ["MD4", "", "CRC32C"]),
        ("x-amz-sdk-checksum-algorithm", ["BOGUS"]),
        ("x-amz-meta-big", [new string('m', 9000)]),
        ("x-amz-meta-\u00e9", ["v"]),
        ("Content-Type", [new string('t', 4000), "text/plain; charset=\u00ff"]),
        ("x-amz-date", ["garbage", "20990101T000000Z", "19700101T000000Z"]),
        ("x-amz-content-sha256", ["garbage", "", "STREAMING-BOGUS", new string('0', 64)]),
        ("x-amz-decoded-content-length", ["-1", "abc", "99999999999999999999"]),
        ("x-amz-storage-class", ["GLACIER", "BOGUS"]),
        ("x-amz-tagging", ["a=b&c", "%FF"]),
        ("x-amz-acl", ["public-read-write", "bogus"]),
        ("x-amz-metadata-directive", ["BOGUS", "REPLACE"]),
        ("x-amz-mp-object-size", ["-5", "abc"]),
        ("Expect", ["100-continue", "bogus"]),
        ("Content-Encoding", ["aws-chunked", "gzip, aws-chunked", "bogus"]),
    ];

    private static readonly string[] BadAuthorizations =
    [
        "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=", "AWS4-HMAC-SHA256 Credential=AKIDFIRSTACCOUNT/20200101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=UNKNOWN/20200101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + new string('0', 64),
        "AWS AKIDFIRSTACCOUNT:c2lnbmF0dXJl", "Bearer token", "AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=, Signature=", "\u00e9",
        "AWS4-HMAC-SHA256 Credential=AKIDFIRSTACCOUNT/" + new string('9', 4000), "AWS4-HMAC-SHA256 ,,,,,,,,",
    ];

    public IEnumerable<FuzzCase> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return (i % 7) switch
            {
                0 or 1 => XmlCase(),
                2 => QueryCase(),
                3 => HeaderCase(),
                4 => ChunkedCase(),
                5 => LengthOrKeyCase(),
                _ => AuthCase(),
            };
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private string Key() => Pick(Keys);

    private static readonly string[] Keys =
    [
        "k", "fuzz/a", "a%20b", "%2F", "..", "../..%2Fetc%2Fpasswd", "%00", "%01%02", "%7F", "%C3%28", "%FF%FE", "%E2%80%AE", "a//b",
        "dir/", "%3F%23", new string('k', 1025), string.Concat(Enumerable.Repeat("%C3%A9", 512)), string.Concat(Enumerable.Repeat("%C3%A9", 513)),
        "%F0%9F%92%A9", "%ED%A0%80", "~!$&'()*+,;=:@", "%25", " ", "%0D%0A", "canary%2F..", "x" + new string('/', 300),
    ];

    private string ObjectPath(string key) => $"/{bucket}/{key}";

    private string TargetFor((string Method, string Level, string Query) op)
    {
        var query = op.Query.Replace("uploadId=U", "uploadId=" + uploadId, StringComparison.Ordinal);
        var path = op.Level switch
        {
            "service" => "/",
            "bucket" => "/" + bucket,
            _ => ObjectPath(Key()),
        };
        return query.Length == 0 ? path : path + "?" + query;
    }

    private FuzzCase XmlCase()
    {
        var (method, target) = _random.Next(3) switch
        {
            0 => ("POST", $"/{bucket}?delete"),
            1 => ("POST", $"/{bucket}/{uploadKey}?uploadId={uploadId}"),
            _ => ("PUT", "/" + (_random.Next(2) == 0 ? bucket : "fz-" + _random.Next(1_000_000).ToString(CultureInfo.InvariantCulture))),
        };
        var root = method == "PUT" ? "CreateBucketConfiguration" : target.Contains("?delete", StringComparison.Ordinal) ? "Delete" : "CompleteMultipartUpload";
        var body = Pick(XmlBodies)(root, _random);
        return new FuzzCase("xml", method, target, [("Content-Type", "application/xml")], body);
    }

    private static readonly Func<string, Random, byte[]>[] XmlBodies =
    [
        (root, _) => FuzzCase.Utf8($"<?xml version=\"1.0\"?><!DOCTYPE {root} [<!ENTITY x \"y\">]><{root}>&x;</{root}>"),
        (root, _) => FuzzCase.Utf8($"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]><{root}><Object><Key>&lol4;</Key></Object></{root}>"),
        (root, _) => FuzzCase.Utf8($"<?xml version=\"1.0\"?><!DOCTYPE {root} [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><{root}><Object><Key>&xxe;</Key></Object></{root}>"),
        (root, r) => FuzzCase.Utf8($"<{root}>" + string.Concat(Enumerable.Repeat("<a>", r.Next(1000, 100_000))) + $"</{root}>"),
        (root, _) => FuzzCase.Utf8($"<{root}><Object><Key>" + new string('k', 3 * 1024 * 1024) + $"</Key></Object></{root}>"),
        (root, r) => FuzzCase.Utf8($"<{root}>" + string.Concat(Enumerable.Range(0, r.Next(1001, 5000)).Select(i => $"<Object><Key>fuzz/{i}</Key></Object><Part><PartNumber>{i}</PartNumber><ETag>\"x\"</ETag></Part>")) + $"</{root}>"),
        (root, _) => FuzzCase.Utf8($"<{root}><Part><PartNumber>99999999999999999999</PartNumber><ETag>\"e\"</ETag></Part><Object><Key></Key><VersionId>%00</VersionId></Object><LocationConstraint>{new string('z', 300)}</LocationConstraint></{root}>"),
        (root, _) => FuzzCase.Utf8($"<{root}><Part><PartNumber>-1</PartNumber></Part><Part><PartNumber>abc</PartNumber><ETag/></Part><Quiet>maybe</Quiet></{root}>"),
        (root, _) => FuzzCase.Utf8($"<{root}><Part><PartNumber>2</PartNumber><ETag>\"a\"</ETag></Part><Part><PartNumber>1</PartNumber><ETag>\"b\"</ETag></Part></{root}>"),
        (root, _) => FuzzCase.Utf8($"<{root}><Object><Key>fuzz/a</Key></Object><Object><Key>fuzz/a</Key></Object><Quiet>true</Quiet></{root}>"),
        (root, _) => FuzzCase.Utf8($"<{root}>"),
        (_, _) => [],
        (_, _) => [0xEF, 0xBB, 0xBF, 0xFF, 0xFE, 0x3C, 0x00],
        (root, _) => FuzzCase.Utf8($"<Wrong xmlns=\"urn:x\"><{root}/></Wrong>"),
        (root, _) => FuzzCase.Utf8($"<{root} xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>\u0001\u0002</Key></Object></{root}>"),
        (root, _) => FuzzCase.Utf8($"<?xml version=\"1.0\" encoding=\"UTF-16\"?><{root}/>"),
        (root, _) => FuzzCase.Utf8($"<?xml-stylesheet href=\"http://example.invalid\"?><{root}><![CDATA[]]]]><![CDATA[>]]></{root}>"),
        (root, r) => FuzzCase.Utf8($"<{root}>" + string.Concat(Enumerable.Repeat("<Object a=\"1\" b=\"2\"/>", r.Next(10, 50_000))) + $"</{root}>"),
        (root, _) => FuzzCase.Utf8($"<{root}><Object><Key>{new string('k', 1100)}</Key></Object><Object><Key>..</Key></Object></{root}>"),
        (root, _) => FuzzCase.Utf8($"<{root}><LocationConstraint>us-east-1</LocationConstraint><Bucket><Type>Directory</Type></Bucket></{root}>"),
    ];

    private FuzzCase QueryCase()
    {
        var op = Pick(Operations);
        var target = TargetFor(op);
        var extra = string.Join("&", Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Pick(QueryNames) + "=" + Pick(BadValues)));
        target += (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + extra;
        return new FuzzCase("query", op.Method, target, [], op.Method is "PUT" or "POST" ? FuzzCase.Utf8("body") : []);
    }

    private FuzzCase HeaderCase()
    {
        var op = Pick(Operations);
        var headers = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Pick(BadHeaders)).Select(h => (h.Name, Pick(h.Values))).ToList();
        return new FuzzCase("header", op.Method, TargetFor(op), headers, op.Method is "PUT" or "POST" ? FuzzCase.Utf8("header fuzz body") : []);
    }

    private FuzzCase ChunkedCase()
    {
        var target = _random.Next(4) == 0 ? $"/{bucket}/{uploadKey}?uploadId={uploadId}&partNumber={_random.Next(1, 3)}" : ObjectPath("fuzz/chunked-" + _random.Next(20));
        var mode = Pick(new[] { "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" });
        var sig = mode.Contains("HMAC", StringComparison.Ordinal) ? ";chunk-signature=" + Pick(new[] { new string('0', 64), "zz", string.Empty, new string('a', 10_000) }) : string.Empty;
        var body = Pick(ChunkBodies)(sig);
        var decoded = Pick(new[] { "5", "0", "-1", "abc", "99999999999", body.Length.ToString(CultureInfo.InvariantCulture) });
        List<(string, string)> headers = [("Content-Encoding", "aws-chunked"), ("x-amz-decoded-content-length", decoded)];
        if (mode.EndsWith("TRAILER", StringComparison.Ordinal))
        {
            headers.Add(("x-amz-trailer", Pick(new[] { "x-amz-checksum-crc32", "x-amz-checksum-bogus", string.Empty })));
        }

        return new FuzzCase("chunked", "PUT", target, headers, FuzzCase.Utf8(body)) { PayloadHash = mode };
    }

    private static readonly Func<string, string>[] ChunkBodies =
    [
        sig => $"zz{sig}\r\nhello\r\n0{sig}\r\n\r\n",
        sig => $"5{sig}\r\nhel",
        sig => $"FFFFFFFFFFFFFFFF{sig}\r\nhello\r\n0{sig}\r\n\r\n",
        sig => $"-5{sig}\r\nhello\r\n0{sig}\r\n\r\n",
        sig => $"5{sig}hello0{sig}",
        sig => $"5{sig}\r\nhelloXX0{sig}\r\n\r\n",
        sig => $"5{sig}\r\nhello\r\n0{sig}\r\nx-amz-checksum-crc32:AAAA\r\n\r\n",
        sig => $"5{sig}\r\nhello\r\n0{sig}\r\nx-amz-checksum-crc32:" + new string('A', 20_000) + "\r\n\r\n",
        sig => $"5{sig}\r\nhello\r\n0{sig}\r\nno-colon-line\r\n\r\n",
        sig => $"5{sig}\r\nhello\r\n",
        sig => string.Concat(Enumerable.Repeat($"1{sig}\r\nx\r\n", 3000)) + $"0{sig}\r\n\r\n",
        sig => $"{new string('1', 5000)}{sig}\r\nhello\r\n",
        sig => $"5;{new string('x', 20_000)}\r\nhello\r\n0{sig}\r\n\r\n",
        _ => string.Empty,
    ];

    private FuzzCase LengthOrKeyCase()
    {
        if (_random.Next(2) == 0)
        {
            var op = Pick(Operations);
            var keyTarget = op.Method == "PUT" ? ObjectPath(Key()) : TargetFor(op);
            return new FuzzCase("key", op.Method, keyTarget, [], op.Method == "PUT" ? FuzzCase.Utf8("key fuzz") : []);
        }

        var length = Pick(new[] { "9223372036854775807", "6000000000", "5368709121", "100", "-1", "abc", "1, 2", "99999999999999999999999" });
        var target = _random.Next(3) switch
        {
            0 => ObjectPath("fuzz/len"),
            1 => $"/{bucket}?delete",
            _ => $"/{bucket}/{uploadKey}?uploadId={uploadId}&partNumber=1",
        };
        return new FuzzCase("length", target.Contains("?delete", StringComparison.Ordinal) ? "POST" : "PUT", target, [], FuzzCase.Utf8("short"))
        {
            DeclaredLength = length,
        };
    }

    private FuzzCase AuthCase()
    {
        var op = Pick(Operations);
        var target = TargetFor(op);
        List<(string, string)> headers = _random.Next(3) == 0 ? [] : [("Authorization", Pick(BadAuthorizations)), ("x-amz-date", "20200101T000000Z")];
        if (_random.Next(4) == 0)
        {
            target += (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDFIRSTACCOUNT%2F20200101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20200101T000000Z&X-Amz-Expires=" + Pick(BadValues) + "&X-Amz-SignedHeaders=host&X-Amz-Signature=" + Pick(new[] { "00", new string('0', 64), "zz" });
        }

        return new FuzzCase("auth", op.Method, target, headers, op.Method is "PUT" or "POST" ? FuzzCase.Utf8("auth fuzz") : []) { Signed = false };
    }
}
