using System.Globalization;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Auth;

/// <summary>The credential scope: <c>accessKeyId/date/region/service/aws4_request</c>.</summary>
internal sealed record Credential(string AccessKeyId, string Date, string Region, string Service)
{
    public string Scope => SigV4Signer.Scope(Date, Region, Service);
}

/// <summary>What a SigV4 signature claims, from the Authorization header or the presigned query.</summary>
internal sealed record SignatureClaim(Credential Credential, string SignedHeaders, IReadOnlyList<string> SignedHeaderNames, string Signature);

/// <summary>Parses the Authorization header and presigned query parameters; every failure is an S3 error.</summary>
internal static class AuthorizationParser
{
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Parses <c>AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...</c>.</summary>
    public static SignatureClaim ParseHeader(string header)
    {
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var algorithm = space < 0 ? header : header[..space];
        if (algorithm == "AWS")
        {
            throw S3Errors.InvalidRequest.With("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.").ToException();
        }

        if (algorithm != SigV4Signer.Algorithm)
        {
            throw S3Errors.InvalidArgument.With("Unsupported Authorization Type")
                .WithDetail("ArgumentName", "Authorization")
                .WithDetail("ArgumentValue", algorithm)
                .ToException();
        }

        string? credential = null, signedHeaders = null, signature = null;
        var rest = space < 0 ? string.Empty : header[(space + 1)..];
        foreach (var component in rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = component.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw HeaderMalformed($"the authorization component \"{component}\" is malformed.");
            }

            var value = component[(eq + 1)..].Trim();
            switch (component[..eq].Trim())
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
                default: throw HeaderMalformed($"the authorization component \"{component[..eq].Trim()}\" is not recognized.");
            }
        }

        if (credential is null)
        {
            throw HeaderMalformed("missing Credential.");
        }

        if (signedHeaders is null)
        {
            throw HeaderMalformed("missing SignedHeaders.");
        }

        if (signature is null)
        {
            throw HeaderMalformed("missing Signature.");
        }

        return Claim(ParseCredential(credential, HeaderMalformed), signedHeaders, signature, HeaderMalformed);
    }

    /// <summary>Parses the X-Amz-* parameters of a presigned request.</summary>
    public static (SignatureClaim Claim, string AmzDate, int ExpiresSeconds) ParseQuery(IReadOnlyDictionary<string, string> query)
    {
        if (query.GetValueOrDefault("X-Amz-Algorithm") != SigV4Signer.Algorithm)
        {
            throw QueryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }

        if (!query.TryGetValue("X-Amz-Credential", out var credential) || !query.TryGetValue("X-Amz-Date", out var amzDate)
            || !query.TryGetValue("X-Amz-Expires", out var expires) || !query.TryGetValue("X-Amz-SignedHeaders", out var signedHeaders)
            || !query.TryGetValue("X-Amz-Signature", out var signature))
        {
            throw QueryError("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }

        if (ParseAmzDate(amzDate) is null)
        {
            throw QueryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }

        if (!int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            throw QueryError("X-Amz-Expires should be a number");
        }

        if (seconds is < 1 or > 604800)
        {
            throw QueryError(seconds < 1 ? "X-Amz-Expires must be non-negative and greater than zero" : "X-Amz-Expires must be less than a week (in seconds) that is; 604800");
        }

        return (Claim(ParseCredential(credential, QueryError), signedHeaders, signature, QueryError), amzDate, seconds);
    }

    /// <summary>Parses an ISO 8601 basic timestamp (<c>20130524T000000Z</c>); null when malformed.</summary>
    public static DateTimeOffset? ParseAmzDate(string? value) =>
        DateTimeOffset.TryParseExact(value, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;

    /// <summary>Parses an HTTP Date header (RFC 1123 and its older relatives); null when malformed.</summary>
    public static DateTimeOffset? ParseHttpDate(string? value) =>
        DateTimeOffset.TryParseExact(value, ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)
            ? parsed
            : null;

    private static SignatureClaim Claim(Credential credential, string signedHeaders, string signature, Func<string, S3Exception> error)
    {
        var names = signedHeaders.Split(';');
        if (names.Any(static n => n.Length == 0 || n.Any(static c => c <= ' ' || c == ':' || char.IsUpper(c))))
        {
            throw error("SignedHeaders must be a ';'-separated list of lower-case header names.");
        }

        if (!names.Contains("host", StringComparer.Ordinal))
        {
            throw error("SignedHeaders must include host.");
        }

        if (signature.Length != 64 || !signature.All(Uri.IsHexDigit))
        {
            throw error("the Signature must be 64 hexadecimal characters.");
        }

        return new SignatureClaim(credential, signedHeaders, names, signature);
    }

    public static Credential ParseCredential(string value, Func<string, S3Exception> error)
    {
        // The access key id is everything before the last four fields.
        var parts = value.Split('/');
        if (parts.Length < 5 || parts[^5].Length == 0)
        {
            throw error("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }

        var credential = new Credential(string.Join('/', parts[..^4]), parts[^4], parts[^3], parts[^2]);
        if (!DateOnly.TryParseExact(credential.Date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw error($"incorrect date format \"{credential.Date}\". This date in the credential must be in the format \"yyyyMMdd\".");
        }

        if (credential.Region.Length == 0)
        {
            throw error("the region in the credential is empty.");
        }

        if (credential.Service != "s3")
        {
            throw error($"incorrect service \"{credential.Service}\". This endpoint belongs to \"s3\".");
        }

        if (parts[^1] != SigV4Signer.Terminator)
        {
            throw error($"incorrect terminal \"{parts[^1]}\". This endpoint uses \"aws4_request\".");
        }

        return credential;
    }

    private static S3Exception HeaderMalformed(string reason) =>
        S3Errors.AuthorizationHeaderMalformed.With("The authorization header is malformed; " + reason).ToException();

    private static S3Exception QueryError(string reason) =>
        S3Errors.AuthorizationQueryParametersError.With(char.ToUpperInvariant(reason[0]) + reason[1..]).ToException();
}
