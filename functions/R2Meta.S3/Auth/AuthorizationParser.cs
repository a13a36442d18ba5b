using System.Globalization;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Auth;

/// <summary>The credential scope: <c>accessKeyId/date/region/service/aws4_request</c>.</summary>
internal sealed record Credential(string AccessKeyId, string Date, string Region, string Service)
{
    public string Scope => SigV4Signer.Scope(Date, Region, Service);
}

/// <summary>What a SigV4 signature claims, from the Authorization header or the presigned query.</summary>
internal sealed record SignatureClaim(Credential Credential, string SignedHeaders, string Signature);

/// <summary>Parses the Authorization header and presigned query parameters; every failure is an S3 error.</summary>
internal static class AuthorizationParser
{
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// Parses <c>AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...</c>: components in any order,
    /// white space around each ignored, empty ones skipped, a repeated one taking the last value.
    /// </summary>
    public static SignatureClaim ParseHeader(string header)
    {
        var span = header.AsSpan();
        var space = span.IndexOf(' ');
        var algorithm = space < 0 ? span : span[..space];
        if (algorithm.SequenceEqual("AWS"))
        {
            throw S3Errors.InvalidRequest.With("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.").ToException();
        }

        if (!algorithm.SequenceEqual(SigV4Signer.Algorithm))
        {
            throw S3Errors.InvalidArgument.With("Unsupported Authorization Type")
                .WithDetail("ArgumentName", "Authorization")
                .WithDetail("ArgumentValue", algorithm.ToString())
                .ToException();
        }

        ReadOnlySpan<char> credential = default, signedHeaders = default, signature = default;
        bool hasCredential = false, hasSignedHeaders = false, hasSignature = false;
        var components = space < 0 ? [] : span[(space + 1)..];
        foreach (var range in components.Split(','))
        {
            var component = components[range].Trim();
            if (component.IsEmpty)
            {
                continue;
            }

            var eq = component.IndexOf('=');
            if (eq <= 0)
            {
                throw HeaderMalformed($"the authorization component \"{component}\" is malformed.");
            }

            var name = component[..eq].TrimEnd();
            var value = component[(eq + 1)..].Trim();
            switch (name)
            {
                case "Credential":
                    credential = value;
                    hasCredential = true;
                    break;
                case "SignedHeaders":
                    signedHeaders = value;
                    hasSignedHeaders = true;
                    break;
                case "Signature":
                    signature = value;
                    hasSignature = true;
                    break;
                default: throw HeaderMalformed($"the authorization component \"{name}\" is not recognized.");
            }
        }

        if (!hasCredential)
        {
            throw HeaderMalformed("missing Credential.");
        }

        if (!hasSignedHeaders)
        {
            throw HeaderMalformed("missing SignedHeaders.");
        }

        if (!hasSignature)
        {
            throw HeaderMalformed("missing Signature.");
        }

        var parsed = ParseCredential(credential, HeaderMalformed);
        CheckClaim(signedHeaders, signature, HeaderMalformed);
        return new SignatureClaim(parsed, signedHeaders.ToString(), signature.ToString());
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

        var parsed = ParseCredential(credential, QueryError);
        CheckClaim(signedHeaders, signature, QueryError);
        return (new SignatureClaim(parsed, signedHeaders, signature), amzDate, seconds);
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

    /// <summary>SignedHeaders must be lower-case names separated by ';', host among them; the signature 64 hex digits.</summary>
    private static void CheckClaim(ReadOnlySpan<char> signedHeaders, ReadOnlySpan<char> signature, Func<string, S3Exception> error)
    {
        var hasHost = false;
        var rest = signedHeaders;
        while (true)
        {
            var semicolon = rest.IndexOf(';');
            var name = semicolon < 0 ? rest : rest[..semicolon];
            if (name.IsEmpty || !IsSignedHeaderName(name))
            {
                throw error("SignedHeaders must be a ';'-separated list of lower-case header names.");
            }

            hasHost |= name.SequenceEqual("host");
            if (semicolon < 0)
            {
                break;
            }

            rest = rest[(semicolon + 1)..];
        }

        if (!hasHost)
        {
            throw error("SignedHeaders must include host.");
        }

        if (!SigV4Signer.IsSha256Hex(signature))
        {
            throw error("the Signature must be 64 hexadecimal characters.");
        }
    }

    private static bool IsSignedHeaderName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (c <= ' ' || c == ':' || char.IsUpper(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses <c>accessKeyId/date/region/service/aws4_request</c>; the access key id may itself hold '/'.</summary>
    public static Credential ParseCredential(ReadOnlySpan<char> value, Func<string, S3Exception> error)
    {
        // The access key id is everything before the last four fields, so find the fields from the end.
        var terminalSlash = value.LastIndexOf('/');
        var serviceSlash = terminalSlash < 0 ? -1 : value[..terminalSlash].LastIndexOf('/');
        var regionSlash = serviceSlash < 0 ? -1 : value[..serviceSlash].LastIndexOf('/');
        var dateSlash = regionSlash < 0 ? -1 : value[..regionSlash].LastIndexOf('/');
        if (dateSlash <= 0 || value[dateSlash - 1] == '/')
        {
            throw error("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }

        var date = value[(dateSlash + 1)..regionSlash];
        if (!DateOnly.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw error($"incorrect date format \"{date}\". This date in the credential must be in the format \"yyyyMMdd\".");
        }

        var region = value[(regionSlash + 1)..serviceSlash];
        if (region.IsEmpty)
        {
            throw error("the region in the credential is empty.");
        }

        var service = value[(serviceSlash + 1)..terminalSlash];
        if (!service.SequenceEqual("s3"))
        {
            throw error($"incorrect service \"{service}\". This endpoint belongs to \"s3\".");
        }

        var terminal = value[(terminalSlash + 1)..];
        if (!terminal.SequenceEqual(SigV4Signer.Terminator))
        {
            throw error($"incorrect terminal \"{terminal}\". This endpoint uses \"aws4_request\".");
        }

        return new Credential(value[..dateSlash].ToString(), date.ToString(), region.ToString(), "s3");
    }

    private static S3Exception HeaderMalformed(string reason) =>
        S3Errors.AuthorizationHeaderMalformed.With("The authorization header is malformed; " + reason).ToException();

    private static S3Exception QueryError(string reason) =>
        S3Errors.AuthorizationQueryParametersError.With(char.ToUpperInvariant(reason[0]) + reason[1..]).ToException();
}
