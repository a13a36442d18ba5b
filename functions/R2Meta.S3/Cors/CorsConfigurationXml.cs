using System.Globalization;
using System.Xml.Linq;
using R2Meta.Domain.Cors;
using R2Meta.S3.Protocol;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Cors;

/// <summary>
/// The CORSConfiguration document of Put/GetBucketCors, validated as S3 validates it: 1 to 100 rules, each with
/// at least one AllowedOrigin and AllowedMethod (else MalformedXML); methods GET, PUT, POST, DELETE and HEAD only,
/// at most one <c>*</c> in an origin or allowed header, an ID of at most 255 characters (else InvalidRequest).
/// </summary>
public static class CorsConfigurationXml
{
    /// <summary>S3's cap on a CORS configuration document.</summary>
    public const long MaxBytes = 64 * 1024;

    public const int MaxRules = 100;
    private const int MaxIdLength = 255;
    private static readonly string[] Methods = ["GET", "PUT", "POST", "DELETE", "HEAD"];

    public static IReadOnlyList<CorsRule> Parse(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Name.LocalName != "CORSConfiguration")
        {
            throw S3Errors.MalformedXML.ToException();
        }

        var rules = S3Xml.Children(root, "CORSRule").Select(ParseRule).ToList();
        if (rules.Count is 0 or > MaxRules)
        {
            throw S3Errors.MalformedXML.ToException();
        }

        return rules;
    }

    public static XElement Write(IReadOnlyList<CorsRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return S3Xml.E("CORSConfiguration", rules.Select(r => S3Xml.E("CORSRule",
            r.Id is null ? null : S3Xml.E("ID", r.Id),
            r.AllowedHeaders.Select(h => S3Xml.E("AllowedHeader", h)),
            r.AllowedMethods.Select(m => S3Xml.E("AllowedMethod", m)),
            r.AllowedOrigins.Select(o => S3Xml.E("AllowedOrigin", o)),
            r.ExposeHeaders.Select(h => S3Xml.E("ExposeHeader", h)),
            r.MaxAgeSeconds is { } age ? S3Xml.E("MaxAgeSeconds", age.ToString(CultureInfo.InvariantCulture)) : null)));
    }

    private static CorsRule ParseRule(XElement rule)
    {
        if (rule.Elements().Any(e => e.Name.LocalName is not ("ID" or "AllowedHeader" or "AllowedMethod" or "AllowedOrigin" or "ExposeHeader" or "MaxAgeSeconds")))
        {
            throw S3Errors.MalformedXML.ToException();
        }

        var origins = Values(rule, "AllowedOrigin");
        var methods = Values(rule, "AllowedMethod");
        if (origins.Count == 0 || methods.Count == 0)
        {
            throw S3Errors.MalformedXML.ToException();
        }

        if (methods.FirstOrDefault(m => !Methods.Contains(m, StringComparer.Ordinal)) is { } unsupported)
        {
            throw S3Errors.InvalidRequest.With($"Found unsupported HTTP method in CORS config. Unsupported method is {unsupported}").ToException();
        }

        if (origins.FirstOrDefault(TwoWildcards) is { } origin)
        {
            throw S3Errors.InvalidRequest.With($"AllowedOrigin \"{origin}\" can not have more than one wildcard.").ToException();
        }

        var headers = Values(rule, "AllowedHeader");
        if (headers.FirstOrDefault(TwoWildcards) is { } header)
        {
            throw S3Errors.InvalidRequest.With($"AllowedHeader \"{header}\" can not have more than one wildcard.").ToException();
        }

        var id = S3Xml.Child(rule, "ID");
        if (id is { Length: > MaxIdLength })
        {
            throw S3Errors.InvalidRequest.With("ID length should not exceed allowed limit of 255").ToException();
        }

        int? maxAge = null;
        if (S3Xml.Child(rule, "MaxAgeSeconds") is { } age)
        {
            maxAge = int.TryParse(age, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : throw S3Errors.MalformedXML.ToException();
        }

        return new CorsRule
        {
            Id = id,
            AllowedOrigins = origins,
            AllowedMethods = methods,
            AllowedHeaders = headers,
            ExposeHeaders = Values(rule, "ExposeHeader"),
            MaxAgeSeconds = maxAge,
        };
    }

    private static List<string> Values(XElement rule, string name) => S3Xml.Children(rule, name).Select(e => e.Value.Trim()).ToList();

    private static bool TwoWildcards(string value) => value.IndexOf('*', StringComparison.Ordinal) != value.LastIndexOf('*');
}
