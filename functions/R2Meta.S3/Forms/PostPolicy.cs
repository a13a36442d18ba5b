using System.Globalization;
using System.Text.Json;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Forms;

/// <summary>One condition of a POST policy: <c>eq</c>, <c>starts-with</c> on a field, or <c>content-length-range</c>.</summary>
/// <param name="Field">The field it constrains, lower case, without the <c>$</c>; empty for content-length-range.</param>
/// <param name="Text">How the policy wrote it, for the AccessDenied message.</param>
public sealed record PolicyCondition(PolicyConditionKind Kind, string Field, string Value, long Min, long Max, string Text);

public enum PolicyConditionKind
{
    Equals = 0,
    StartsWith = 1,
    ContentLengthRange = 2,
}

/// <summary>
/// A SigV4 POST policy (the form's base64 JSON <c>policy</c> field): its expiration and conditions, and their
/// evaluation against the form as S3 evaluates it. Every failure is the S3 error: a document that is not a policy
/// is InvalidPolicyDocument; a form the policy does not allow is AccessDenied "Invalid according to Policy: ...".
/// </summary>
public sealed class PostPolicy
{
    private PostPolicy(DateTimeOffset expiration, IReadOnlyList<PolicyCondition> conditions)
    {
        Expiration = expiration;
        Conditions = conditions;
    }

    public DateTimeOffset Expiration { get; }

    public IReadOnlyList<PolicyCondition> Conditions { get; }

    /// <summary>Decodes and parses the policy field.</summary>
    public static PostPolicy Parse(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] json;
        try
        {
            json = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw Invalid("Invalid Policy: Invalid 'base64' encoding.");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("Invalid Policy: Invalid JSON.");
            }

            if (!root.TryGetProperty("expiration", out var expiration))
            {
                throw Invalid("Invalid Policy: Policy missing expiration.");
            }

            if (expiration.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(expiration.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires))
            {
                throw Invalid("Invalid Policy: Invalid 'expiration' value: " + expiration.GetRawText());
            }

            if (!root.TryGetProperty("conditions", out var conditions))
            {
                throw Invalid("Invalid Policy: Policy missing conditions.");
            }

            if (conditions.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("Invalid Policy: Invalid 'conditions' value: must be a List.");
            }

            return new PostPolicy(expires, [.. conditions.EnumerateArray().SelectMany(ParseCondition)]);
        }
        catch (JsonException)
        {
            throw Invalid("Invalid Policy: Invalid JSON.");
        }
    }

    /// <summary>
    /// Checks the form against the policy at <paramref name="now"/>: not expired, every condition met, every
    /// field (but the exempt ones) covered by a condition. <paramref name="value"/> gives a field's value by
    /// lower-case name (the bucket, the key after <c>${filename}</c>, or the form's), null when absent.
    /// Returns the allowed file size, which can be checked only as the file streams.
    /// </summary>
    public (long? Min, long? Max) Evaluate(IEnumerable<string> fieldNames, Func<string, string?> value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fieldNames);
        ArgumentNullException.ThrowIfNull(value);
        if (now > Expiration)
        {
            throw Denied("Policy expired.");
        }

        long? min = null, max = null;
        foreach (var condition in Conditions)
        {
            switch (condition.Kind)
            {
                case PolicyConditionKind.ContentLengthRange:
                    // Several ranges all apply: the narrowest wins.
                    min = Math.Max(min ?? 0, condition.Min);
                    max = Math.Min(max ?? long.MaxValue, condition.Max);
                    break;
                case PolicyConditionKind.Equals when (value(condition.Field) ?? string.Empty) != condition.Value:
                case PolicyConditionKind.StartsWith when !StartsWith(condition.Field, value(condition.Field) ?? string.Empty, condition.Value):
                    throw Denied("Policy Condition failed: " + condition.Text);
            }
        }

        var covered = Conditions.Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        var extra = fieldNames.Select(n => n.ToLowerInvariant()).FirstOrDefault(n => !IsExempt(n) && !covered.Contains(n));
        if (extra is not null)
        {
            throw Denied("Extra input fields: " + extra);
        }

        return (min, max);
    }

    /// <summary>Fields S3 does not require the policy to mention.</summary>
    public static bool IsExempt(string lowerName) =>
        lowerName is "x-amz-signature" or "file" or "policy" || lowerName.StartsWith("x-ignore-", StringComparison.Ordinal);

    private static bool StartsWith(string field, string actual, string prefix) =>
        // Content-Type may list several types, and each must start with the prefix.
        field == "content-type"
            ? actual.Split(',').All(part => part.Trim().StartsWith(prefix, StringComparison.Ordinal))
            : actual.StartsWith(prefix, StringComparison.Ordinal);

    private static IEnumerable<PolicyCondition> ParseCondition(JsonElement element)
    {
        var text = element.GetRawText();
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // {"field": "value"} is an exact match; S3 wants exactly one property.
                var properties = element.EnumerateObject().ToList();
                if (properties.Count != 1)
                {
                    throw Invalid("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
                }

                var property = properties[0];
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw Invalid($"Invalid Policy: Invalid Simple-Condition: value must be a string.");
                }

                return [new PolicyCondition(PolicyConditionKind.Equals, FieldName(property.Name), property.Value.GetString()!, 0, 0, text)];
            case JsonValueKind.Array:
                var items = element.EnumerateArray().ToList();
                var kind = items.Count > 0 && items[0].ValueKind == JsonValueKind.String ? items[0].GetString()!.ToLowerInvariant() : null;
                return kind switch
                {
                    "content-length-range" when items.Count == 3 => [Range(items[1], items[2], text)],
                    "content-length-range" => throw Invalid("Invalid Policy: Invalid 'content-length-range' condition: " + text),
                    "eq" or "starts-with" when items.Count == 3 && items[1].ValueKind == JsonValueKind.String && items[2].ValueKind == JsonValueKind.String
                        && items[1].GetString()!.StartsWith('$') =>
                        [new PolicyCondition(kind == "eq" ? PolicyConditionKind.Equals : PolicyConditionKind.StartsWith, FieldName(items[1].GetString()![1..]), items[2].GetString()!, 0, 0, text)],
                    "eq" or "starts-with" => throw Invalid($"Invalid Policy: Invalid '{kind}' condition: " + text),
                    _ => throw Invalid("Invalid Policy: Invalid 'condition type': " + text),
                };
            default:
                throw Invalid("Invalid Policy: Invalid condition: " + text);
        }
    }

    private static PolicyCondition Range(JsonElement min, JsonElement max, string text)
    {
        if (Bound(min) is not { } low || Bound(max) is not { } high || low > high)
        {
            throw Invalid("Invalid Policy: Invalid 'content-length-range' condition: " + text);
        }

        return new PolicyCondition(PolicyConditionKind.ContentLengthRange, string.Empty, string.Empty, low, high, text);
    }

    /// <summary>A size bound: a non-negative integer, as a JSON number or a string of digits.</summary>
    private static long? Bound(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetInt64(out var n) && n >= 0 => n,
        JsonValueKind.String when long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static string FieldName(string name) => name.ToLowerInvariant();

    private static S3Exception Invalid(string message) => S3Errors.InvalidPolicyDocument.With(message).ToException();

    internal static S3Exception Denied(string reason) => S3Errors.AccessDenied.With("Invalid according to Policy: " + reason).ToException();

}
