using System.Globalization;
using System.Text;
using System.Xml.Linq;
using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Requests;

/// <summary>
/// Tag sets as S3 takes them — a Tagging document (Put*Tagging, PostObject's <c>tagging</c> field) or the
/// <c>x-amz-tagging</c> header (a URL query string) — validated by S3's rules with AWS's error codes: a key of 1
/// to 128 and a value of 0 to 256 Unicode characters, of letters, digits, spaces and <c>+ - = . _ : / @</c>
/// (else InvalidTag), no key twice (InvalidTag; in the header InvalidArgument), no key starting with
/// <c>aws:</c> (InvalidTag), at most 10 tags on an object and 50 on a bucket (BadRequest). The result is ordered by key.
/// </summary>
public static class TagSets
{
    public const string Header = "x-amz-tagging";
    public const string CountHeader = "x-amz-tagging-count";
    public const string DirectiveHeader = "x-amz-tagging-directive";
    public const int MaxObjectTags = 10;
    public const int MaxBucketTags = 50;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;

    /// <summary>A Tagging document of 50 tags at their longest, four UTF-8 bytes a character, and its markup fit.</summary>
    public const long MaxXmlBytes = 128 * 1024;

    private const string SystemPrefix = "aws:";

    /// <summary>The TagSet of a Tagging document (<paramref name="root"/>); MalformedXML when it is not one.</summary>
    public static IReadOnlyList<Tag> ParseXml(XElement root, int maxTags)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Name.LocalName != "Tagging" || S3Xml.Children(root, "TagSet").ToList() is not [var tagSet])
        {
            throw S3Errors.MalformedXML.ToException();
        }

        var tags = new List<Tag>();
        foreach (var element in tagSet.Elements())
        {
            if (element.Name.LocalName != "Tag"
                || S3Xml.Children(element, "Key").ToList() is not [var key]
                || S3Xml.Children(element, "Value").ToList() is not [var value])
            {
                throw S3Errors.MalformedXML.ToException();
            }

            tags.Add(new Tag(key.Value, value.Value));
        }

        return Check(tags, maxTags, duplicate: S3Errors.InvalidTag.With("Cannot provide multiple Tags with the same key"));
    }

    /// <summary>Reads a Tagging request body (at most <see cref="MaxXmlBytes"/>) and parses it.</summary>
    public static async Task<IReadOnlyList<Tag>> ReadXmlAsync(Stream body, int maxTags, CancellationToken cancellationToken = default)
    {
        var document = await S3Xml.ReadAsync(body, MaxXmlBytes, cancellationToken).ConfigureAwait(false);
        return ParseXml(document.Root ?? throw S3Errors.MalformedXML.ToException(), maxTags);
    }

    /// <summary>The x-amz-tagging header: <c>key=value</c> pairs URL-encoded and joined by <c>&amp;</c>; null when absent.</summary>
    public static IReadOnlyList<Tag>? ParseHeader(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var invalid = S3Errors.InvalidArgument
            .With("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
            .WithDetail("ArgumentName", Header)
            .WithDetail("ArgumentValue", value);
        var tags = new List<Tag>();
        foreach (var pair in value.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals < 0 ? pair : pair[..equals], invalid);
            tags.Add(new Tag(key, equals < 0 ? string.Empty : Decode(pair[(equals + 1)..], invalid)));
        }

        return Check(tags, MaxObjectTags, duplicate: invalid);
    }

    /// <summary>The Tagging document of Get*Tagging.</summary>
    public static XElement ToXml(IReadOnlyList<Tag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return S3Xml.E("Tagging", S3Xml.E("TagSet", tags.Select(t => S3Xml.E("Tag", S3Xml.E("Key", t.Key), S3Xml.E("Value", t.Value)))));
    }

    /// <summary>The x-amz-tagging-count of GET and HEAD; null when the object has no tags (S3 then sends none).</summary>
    public static string? Count(IReadOnlyList<Tag>? tags) =>
        tags is { Count: > 0 } ? tags.Count.ToString(CultureInfo.InvariantCulture) : null;

    private static List<Tag> Check(List<Tag> tags, int maxTags, S3Error duplicate)
    {
        // As AWS answers: each tag is judged in order first, the count after.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (!IsValid(tag.Key, 1, MaxKeyLength))
            {
                throw S3Errors.InvalidTag.ToException();
            }

            if (!IsValid(tag.Value, 0, MaxValueLength))
            {
                throw S3Errors.InvalidTag.With("The TagValue you have provided is invalid").ToException();
            }

            if (tag.Key.StartsWith(SystemPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw S3Errors.InvalidTag.With("Your TagKey cannot be prefixed with aws:").ToException();
            }

            if (!seen.Add(tag.Key))
            {
                throw duplicate.ToException();
            }
        }

        if (tags.Count > maxTags)
        {
            throw (maxTags == MaxBucketTags ? S3Errors.TooManyBucketTags : S3Errors.TooManyObjectTags).ToException();
        }

        tags.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return tags;
    }

    /// <summary>Length in Unicode characters (a surrogate pair is one) and S3's characters: <c>[\p{L}\p{Z}\p{N}_.:/=+\-@]</c>.</summary>
    private static bool IsValid(string text, int minLength, int maxLength)
    {
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            length++;
            var allowed = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
                UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
                UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
                _ => rune.Value is '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@',
            };
            if (!allowed || rune == Rune.ReplacementChar)
            {
                return false;
            }
        }

        return length >= minLength && length <= maxLength;
    }

    private static string Decode(string component, S3Error invalid)
    {
        var bytes = PercentDecoding.ToBytes(component, plusIsSpace: true, strict: true) ?? throw invalid.ToException();
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw invalid.ToException();
        }
    }
}
