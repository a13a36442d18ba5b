using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;
using R2Meta.S3.Xml;

namespace R2Meta.S3.Lifecycle;

/// <summary>
/// The LifecycleConfiguration document of Put/GetBucketLifecycleConfiguration, validated as S3 validates it. What the
/// schema forbids is MalformedXML (no rule or more than 1,000, a Status other than Enabled or Disabled, both or
/// neither of Filter and Prefix, two conditions in a Filter without And, two of Days, Date and
/// ExpiredObjectDeleteMarker, a storage class S3 does not know); values out of range are InvalidArgument (an ID
/// over 255 characters or used twice, Days not positive, a Date not at midnight UTC, NewerNoncurrentVersions outside
/// 1–100, a transition to STANDARD_IA before 30 days); combinations S3 refuses are InvalidRequest (a rule without an
/// action, ExpiredObjectDeleteMarker or AbortIncompleteMultipartUpload with tags, duplicate tag keys, Days and Date
/// mixed in one rule). Transitions go to STANDARD_IA only: S3's other storage classes are InvalidStorageClass.
/// </summary>
public static partial class LifecycleConfigurationXml
{
    /// <summary>Large enough for 1,000 rules.</summary>
    public const long MaxBytes = 2 * 1024 * 1024;

    public const int MaxRules = 1000;
    private const string InfrequentAccess = StorageClasses.InfrequentAccess;
    private const int MaxIdLength = 255;
    private const int MinInfrequentAccessDays = 30;
    private const int MaxNewerNoncurrentVersions = 100;

    /// <summary>S3's transition storage classes; only <see cref="InfrequentAccess"/> exists here.</summary>
    private static readonly string[] KnownClasses = ["GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"];

    private static readonly string[] RuleElements =
        ["ID", "Status", "Filter", "Prefix", "Expiration", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload", "Transition", "NoncurrentVersionTransition"];

    public static IReadOnlyList<LifecycleRule> Parse(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Name.LocalName != "LifecycleConfiguration" || root.Elements().Any(e => e.Name.LocalName != "Rule"))
        {
            throw Malformed();
        }

        var elements = S3Xml.Children(root, "Rule").ToList();
        if (elements.Count is 0 or > MaxRules)
        {
            throw Malformed();
        }

        var rules = elements.Select(ParseRule).ToList();
        if (rules.GroupBy(r => r.Id, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            throw S3Errors.InvalidArgument.With("Rule ID must be unique. Found same ID for more than one rule").ToException();
        }

        return rules;
    }

    public static XElement Write(IReadOnlyList<LifecycleRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return S3Xml.E("LifecycleConfiguration", rules.Select(WriteRule));
    }

    private static LifecycleRule ParseRule(XElement rule)
    {
        if (rule.Elements().Any(e => !RuleElements.Contains(e.Name.LocalName)) || Single(rule, "ID") is false || Single(rule, "Status") is false)
        {
            throw Malformed();
        }

        var id = S3Xml.Child(rule, "ID");
        if (id is { Length: > MaxIdLength })
        {
            throw S3Errors.InvalidArgument.With("ID length should not exceed allowed limit of 255").WithDetail("ArgumentName", "ID").ToException();
        }

        var enabled = S3Xml.Child(rule, "Status") switch
        {
            "Enabled" => true,
            "Disabled" => false,
            _ => throw Malformed(),
        };
        var (filter, form) = ParseFilter(rule);
        var parsed = new LifecycleRule
        {
            Id = string.IsNullOrEmpty(id) ? NewId() : id,
            Enabled = enabled,
            Filter = filter,
            FilterForm = form,
        };
        parsed = ParseExpiration(rule, parsed);
        parsed = ParseNoncurrentExpiration(rule, parsed);
        parsed = ParseAbort(rule, parsed);
        parsed = parsed with
        {
            Transitions = ParseTransitions(rule, "Transition", "Days"),
            NoncurrentTransitions = ParseTransitions(rule, "NoncurrentVersionTransition", "NoncurrentDays"),
        };
        Check(parsed);
        return parsed;
    }

    private static (LifecycleFilter Filter, LifecycleFilterForm Form) ParseFilter(XElement rule)
    {
        var filters = S3Xml.Children(rule, "Filter").ToList();
        var prefixes = S3Xml.Children(rule, "Prefix").ToList();
        if (filters.Count + prefixes.Count != 1)
        {
            throw Malformed();
        }

        if (prefixes.Count == 1)
        {
            return (new LifecycleFilter { Prefix = prefixes[0].Value }, LifecycleFilterForm.LegacyPrefix);
        }

        var conditions = filters[0].Elements().ToList();
        if (conditions.Count > 1)
        {
            throw Malformed();
        }

        if (conditions.Count == 0)
        {
            return (LifecycleFilter.All, LifecycleFilterForm.Filter);
        }

        var condition = conditions[0];
        if (condition.Name.LocalName == "And")
        {
            return (ParseConditions(condition, allowTags: true), LifecycleFilterForm.And);
        }

        return (ParseConditions(filters[0], allowTags: false), LifecycleFilterForm.Filter);
    }

    /// <summary>Prefix, Tag (a single one in a plain Filter; Tag elements in And), ObjectSizeGreaterThan, ObjectSizeLessThan.</summary>
    private static LifecycleFilter ParseConditions(XElement parent, bool allowTags)
    {
        foreach (var element in parent.Elements())
        {
            if (element.Name.LocalName is not ("Prefix" or "Tag" or "ObjectSizeGreaterThan" or "ObjectSizeLessThan")
                || (element.Name.LocalName != "Tag" && S3Xml.Children(parent, element.Name.LocalName).Count() > 1))
            {
                throw Malformed();
            }
        }

        var tags = S3Xml.Children(parent, "Tag").Select(ParseTag).ToList();
        if (!allowTags && tags.Count > 1)
        {
            throw Malformed();
        }

        if (tags.GroupBy(t => t.Key, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            throw S3Errors.InvalidRequest.With("Duplicate Tag Keys are not allowed.").ToException();
        }

        var filter = new LifecycleFilter
        {
            Prefix = S3Xml.Child(parent, "Prefix") ?? string.Empty,
            Tags = tags.Count > 0 ? tags : null,
            SizeGreaterThan = Size(parent, "ObjectSizeGreaterThan"),
            SizeLessThan = Size(parent, "ObjectSizeLessThan"),
        };
        if (filter is { SizeGreaterThan: { } above, SizeLessThan: { } below } && above >= below)
        {
            throw S3Errors.InvalidArgument.With("ObjectSizeGreaterThan must be less than ObjectSizeLessThan").ToException();
        }

        return filter;
    }

    private static Tag ParseTag(XElement tag)
    {
        var key = S3Xml.Child(tag, "Key");
        var value = S3Xml.Child(tag, "Value");
        if (key is null || value is null || tag.Elements().Count() != 2)
        {
            throw Malformed();
        }

        return new Tag(key, value);
    }

    private static long? Size(XElement parent, string name)
    {
        if (S3Xml.Child(parent, name) is not { } text)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : throw S3Errors.InvalidArgument.With($"'{name}' should be a non-negative integer").ToException();
    }

    private static LifecycleRule ParseExpiration(XElement rule, LifecycleRule parsed)
    {
        if (Only(rule, "Expiration") is not { } expiration)
        {
            return parsed;
        }

        var days = Integer(expiration, "Days");
        var date = S3Xml.Child(expiration, "Date");
        var marker = S3Xml.Child(expiration, "ExpiredObjectDeleteMarker");
        if (expiration.Elements().Any(e => e.Name.LocalName is not ("Days" or "Date" or "ExpiredObjectDeleteMarker"))
            || (days is null ? 0 : 1) + (date is null ? 0 : 1) + (marker is null ? 0 : 1) != 1
            || marker is not (null or "true" or "false"))
        {
            throw Malformed();
        }

        if (days is <= 0)
        {
            throw S3Errors.InvalidArgument.With("'Days' for Expiration action must be a positive integer").ToException();
        }

        return parsed with { ExpirationDays = days, ExpirationDate = date is null ? null : Midnight(date), ExpiredObjectDeleteMarker = marker == "true" };
    }

    private static LifecycleRule ParseNoncurrentExpiration(XElement rule, LifecycleRule parsed)
    {
        if (Only(rule, "NoncurrentVersionExpiration") is not { } expiration)
        {
            return parsed;
        }

        if (expiration.Elements().Any(e => e.Name.LocalName is not ("NoncurrentDays" or "NewerNoncurrentVersions")) || Integer(expiration, "NoncurrentDays") is not { } days)
        {
            throw Malformed();
        }

        if (days <= 0)
        {
            throw S3Errors.InvalidArgument.With("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer").ToException();
        }

        var newer = Integer(expiration, "NewerNoncurrentVersions");
        if (newer is < 1 or > MaxNewerNoncurrentVersions)
        {
            throw S3Errors.InvalidArgument.With("'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer up to 100").ToException();
        }

        return parsed with { NoncurrentDays = days, NewerNoncurrentVersions = newer };
    }

    private static LifecycleRule ParseAbort(XElement rule, LifecycleRule parsed)
    {
        if (Only(rule, "AbortIncompleteMultipartUpload") is not { } abort)
        {
            return parsed;
        }

        if (abort.Elements().Any(e => e.Name.LocalName != "DaysAfterInitiation") || Integer(abort, "DaysAfterInitiation") is not { } days)
        {
            throw Malformed();
        }

        if (days <= 0)
        {
            throw S3Errors.InvalidArgument.With("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer").ToException();
        }

        return parsed with { AbortDaysAfterInitiation = days };
    }

    private static List<LifecycleTransition>? ParseTransitions(XElement rule, string name, string daysName)
    {
        var transitions = new List<LifecycleTransition>();
        foreach (var element in S3Xml.Children(rule, name))
        {
            var days = Integer(element, daysName);
            var date = name == "Transition" ? S3Xml.Child(element, "Date") : null;
            var storageClass = S3Xml.Child(element, "StorageClass");
            if (storageClass is null || !KnownClasses.Contains(storageClass, StringComparer.Ordinal) || (days is null) == (date is null))
            {
                throw Malformed();
            }

            if (storageClass != InfrequentAccess)
            {
                throw S3Errors.InvalidStorageClass.With($"The storage class {storageClass} is not supported: lifecycle transitions go to {InfrequentAccess} only.").ToException();
            }

            if (days is < MinInfrequentAccessDays)
            {
                throw S3Errors.InvalidArgument
                    .With($"'{daysName}' in {name} action must be greater than or equal to 30 for storageClass '{InfrequentAccess}'").ToException();
            }

            transitions.Add(new LifecycleTransition
            {
                Days = days,
                Date = date is null ? null : Midnight(date),
                NewerNoncurrentVersions = Integer(element, "NewerNoncurrentVersions"),
                StorageClass = storageClass,
            });
        }

        if (transitions.GroupBy(t => t.StorageClass, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            throw S3Errors.InvalidRequest.With($"'StorageClass' must be different for '{name}' actions in same 'Rule'").ToException();
        }

        return transitions.Count > 0 ? transitions : null;
    }

    /// <summary>What S3 refuses in a rule as a whole.</summary>
    private static void Check(LifecycleRule rule)
    {
        if (!rule.ExpiresCurrent && !rule.ExpiredObjectDeleteMarker && rule.NoncurrentDays is null && rule.AbortDaysAfterInitiation is null
            && rule.Transitions is null && rule.NoncurrentTransitions is null)
        {
            throw S3Errors.InvalidRequest.With("At least one action needs to be specified in a rule").ToException();
        }

        if (rule.ExpiredObjectDeleteMarker && rule.Filter.HasTags)
        {
            throw S3Errors.InvalidRequest.With("ExpiredObjectDeleteMarker cannot be specified with object tags").ToException();
        }

        if (rule.AbortDaysAfterInitiation is not null && (rule.Filter.HasTags || rule.Filter.HasSize))
        {
            throw S3Errors.InvalidRequest.With("AbortIncompleteMultipartUpload cannot be specified with Tags or object size filters.").ToException();
        }

        var byDate = rule.ExpirationDate is not null || rule.Transitions?.Any(t => t.Date is not null) == true;
        var byDays = rule.ExpirationDays is not null || rule.Transitions?.Any(t => t.Days is not null) == true;
        if (byDate && byDays)
        {
            throw S3Errors.InvalidRequest.With("Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule").ToException();
        }

        if (rule.ExpirationDays is { } expire && rule.Transitions?.Any(t => t.Days >= expire) == true)
        {
            throw S3Errors.InvalidArgument.With("'Days' in the Expiration action must be greater than 'Days' in the Transition action").ToException();
        }
    }

    private static XElement WriteRule(LifecycleRule rule) => S3Xml.E("Rule",
        S3Xml.E("ID", rule.Id),
        rule.FilterForm == LifecycleFilterForm.LegacyPrefix ? S3Xml.E("Prefix", rule.Filter.Prefix) : WriteFilter(rule.Filter, rule.FilterForm),
        S3Xml.E("Status", rule.Enabled ? "Enabled" : "Disabled"),
        rule.ExpiresCurrent || rule.ExpiredObjectDeleteMarker
            ? S3Xml.E("Expiration",
                rule.ExpirationDays is { } days ? S3Xml.E("Days", Number(days)) : null,
                rule.ExpirationDate is { } date ? S3Xml.E("Date", S3Xml.Timestamp(date)) : null,
                rule.ExpiredObjectDeleteMarker ? S3Xml.E("ExpiredObjectDeleteMarker", "true") : null)
            : null,
        rule.Transitions?.Select(t => S3Xml.E("Transition",
            t.Days is { } days ? S3Xml.E("Days", Number(days)) : null,
            t.Date is { } date ? S3Xml.E("Date", S3Xml.Timestamp(date)) : null,
            S3Xml.E("StorageClass", t.StorageClass))),
        rule.NoncurrentTransitions?.Select(t => S3Xml.E("NoncurrentVersionTransition",
            S3Xml.E("NoncurrentDays", Number(t.Days ?? 0)),
            t.NewerNoncurrentVersions is { } newer ? S3Xml.E("NewerNoncurrentVersions", Number(newer)) : null,
            S3Xml.E("StorageClass", t.StorageClass))),
        rule.NoncurrentDays is { } noncurrent
            ? S3Xml.E("NoncurrentVersionExpiration",
                S3Xml.E("NoncurrentDays", Number(noncurrent)),
                rule.NewerNoncurrentVersions is { } kept ? S3Xml.E("NewerNoncurrentVersions", Number(kept)) : null)
            : null,
        rule.AbortDaysAfterInitiation is { } abort ? S3Xml.E("AbortIncompleteMultipartUpload", S3Xml.E("DaysAfterInitiation", Number(abort))) : null);

    private static XElement WriteFilter(LifecycleFilter filter, LifecycleFilterForm form)
    {
        object?[] conditions =
        [
            filter.Prefix.Length > 0 || form == LifecycleFilterForm.And ? S3Xml.E("Prefix", filter.Prefix) : null,
            filter.Tags?.Select(t => S3Xml.E("Tag", S3Xml.E("Key", t.Key), S3Xml.E("Value", t.Value))),
            filter.SizeGreaterThan is { } above ? S3Xml.E("ObjectSizeGreaterThan", Number(above)) : null,
            filter.SizeLessThan is { } below ? S3Xml.E("ObjectSizeLessThan", Number(below)) : null,
        ];
        return form == LifecycleFilterForm.And ? S3Xml.E("Filter", S3Xml.E("And", conditions)) : S3Xml.E("Filter", conditions);
    }

    /// <summary>An ISO 8601 date (or date and time); S3 accepts only midnight UTC.</summary>
    private static DateTimeOffset Midnight(string text)
    {
        if (!IsoDate().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            throw S3Errors.InvalidArgument.With("Invalid date: the Date must be in ISO 8601 format").ToException();
        }

        return date.TimeOfDay == TimeSpan.Zero && date.Offset == TimeSpan.Zero
            ? date
            : throw S3Errors.InvalidArgument.With("'Date' must be at midnight GMT").ToException();
    }

    /// <summary>An integer element's value; null when absent; MalformedXML when not an integer.</summary>
    private static int? Integer(XElement parent, string name)
    {
        if (S3Xml.Child(parent, name) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed();
    }

    /// <summary>The one element of this name, null when none; MalformedXML when several.</summary>
    private static XElement? Only(XElement rule, string name)
    {
        var elements = S3Xml.Children(rule, name).Take(2).ToList();
        return elements.Count > 1 ? throw Malformed() : elements.FirstOrDefault();
    }

    /// <summary>False when the element occurs more than once.</summary>
    private static bool Single(XElement rule, string name) => S3Xml.Children(rule, name).Count() <= 1;

    /// <summary>S3 assigns a rule without an ID a random one.</summary>
    private static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(36)).Replace('+', 'A').Replace('/', 'B');

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static S3Exception Malformed() => S3Errors.MalformedXML.ToException();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();
}
