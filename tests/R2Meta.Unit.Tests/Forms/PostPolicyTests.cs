using System.Text;
using R2Meta.S3.Forms;
using R2Meta.Unit.Tests.Auth;

namespace R2Meta.Unit.Tests.Forms;

public sealed class PostPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 1, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> Form = new(StringComparer.Ordinal)
    {
        ["bucket"] = "photos",
        ["key"] = "user/eric/cat.jpg",
        ["content-type"] = "image/jpeg",
        ["x-amz-meta-uuid"] = "14365123651274",
        ["success_action_status"] = "201",
    };

    [Theory]
    [InlineData("""{"bucket": "photos"}""")]
    [InlineData("""["eq", "$key", "user/eric/cat.jpg"]""")]
    [InlineData("""["EQ", "$Key", "user/eric/cat.jpg"]""")]
    [InlineData("""["starts-with", "$key", "user/eric/"]""")]
    [InlineData("""["starts-with", "$key", ""]""")]
    [InlineData("""["starts-with", "$Content-Type", "image/"]""")]
    [InlineData("""{"x-amz-meta-uuid": "14365123651274"}""")]
    [InlineData("""{"success_action_status": "201"}""")]
    [InlineData("""["starts-with", "$x-amz-meta-absent", ""]""")]
    public void Evaluate_ConditionMet_Passes(string condition) =>
        Policy(condition).Evaluate([], Value, Now);

    [Theory]
    [InlineData("""{"bucket": "other"}""")]
    [InlineData("""["eq", "$key", "user/eric/"]""")]
    [InlineData("""["starts-with", "$key", "user/bob/"]""")]
    [InlineData("""["starts-with", "$content-type", "text/"]""")]
    [InlineData("""{"x-amz-meta-uuid": "1"}""")]
    [InlineData("""["eq", "$x-amz-meta-absent", "v"]""")]
    public void Evaluate_ConditionFailed_AccessDeniedNamingIt(string condition)
    {
        var error = TestRequests.Error(() => Policy(condition).Evaluate([], Value, Now));

        Assert.Equal("AccessDenied", error.Code);
        Assert.Equal(403, error.Status);
        Assert.StartsWith("Invalid according to Policy: Policy Condition failed: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_StartsWithContentType_EveryListedTypeMustMatch()
    {
        var policy = Policy("""["starts-with", "$Content-Type", "image/"]""");

        policy.Evaluate([], n => n == "content-type" ? "image/jpeg, image/png" : null, Now);
        Assert.Equal("AccessDenied", TestRequests.Error(() => policy.Evaluate([], n => n == "content-type" ? "image/jpeg, text/plain" : null, Now)).Code);
    }

    [Fact]
    public void Evaluate_ContentLengthRanges_NarrowestReturned()
    {
        var range = Policy("""["content-length-range", 10, 1000]""", """["content-length-range", "20", 500]""").Evaluate([], Value, Now);

        Assert.Equal((20L, 500L), (range.Min, range.Max));
    }

    [Fact]
    public void Evaluate_NoContentLengthRange_Unbounded() =>
        Assert.Equal((null, null), Policy("""{"bucket": "photos"}""").Evaluate([], Value, Now));

    [Fact]
    public void Evaluate_Expired_AccessDeniedPolicyExpired()
    {
        var error = TestRequests.Error(() => Policy("""{"bucket": "photos"}""").Evaluate([], Value, Now.AddHours(2)));

        Assert.Equal("AccessDenied", error.Code);
        Assert.Equal("Invalid according to Policy: Policy expired.", error.Message);
    }

    [Fact]
    public void Evaluate_FieldNotNamedByACondition_ExtraInputFields()
    {
        var error = TestRequests.Error(() => Policy("""{"bucket": "photos"}""", """["starts-with", "$key", ""]""").Evaluate(["key", "Content-Type"], Value, Now));

        Assert.Equal("AccessDenied", error.Code);
        Assert.Equal("Invalid according to Policy: Extra input fields: content-type", error.Message);
    }

    [Fact]
    public void Evaluate_ExemptFields_NeedNoCondition() =>
        Policy("""["starts-with", "$key", ""]""").Evaluate(["Key", "policy", "X-Amz-Signature", "file", "x-ignore-anything"], Value, Now);

    [Theory]
    [InlineData("not base64!")]
    [InlineData("bm90IGpzb24=")]
    public void Parse_NotABase64JsonDocument_InvalidPolicyDocument(string policy) =>
        Assert.Equal("InvalidPolicyDocument", TestRequests.Error(() => PostPolicy.Parse(policy)).Code);

    [Theory]
    [InlineData("""{"conditions": []}""", "Invalid Policy: Policy missing expiration.")]
    [InlineData("""{"expiration": "2026-12-03T02:00:00.000Z"}""", "Invalid Policy: Policy missing conditions.")]
    [InlineData("""{"expiration": "tomorrow", "conditions": []}""", null)]
    [InlineData("""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": {}}""", null)]
    [InlineData("""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": [["matches", "$key", "a"]]}""", null)]
    [InlineData("""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": [["eq", "key", "a"]]}""", null)]
    [InlineData("""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": [["eq", "$key"]]}""", null)]
    [InlineData("""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": [{"a": "1", "b": "2"}]}""", null)]
    [InlineData("""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": [["content-length-range", 10, 1]]}""", null)]
    [InlineData("""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": [["content-length-range", -1, 1]]}""", null)]
    [InlineData("""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": ["bucket"]}""", null)]
    public void Parse_NotAPolicy_InvalidPolicyDocument(string json, string? message)
    {
        var error = TestRequests.Error(() => PostPolicy.Parse(Encode(json)));

        Assert.Equal("InvalidPolicyDocument", error.Code);
        Assert.Equal(400, error.Status);
        if (message is not null)
        {
            Assert.Equal(message, error.Message);
        }
    }

    [Fact]
    public void Parse_Expiration_ReadAsUtc() =>
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero), Policy().Expiration);

    internal static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    private static string? Value(string name) => Form.GetValueOrDefault(name);

    private static PostPolicy Policy(params string[] conditions) =>
        PostPolicy.Parse(Encode($$"""{"expiration": "2026-12-03T02:00:00.000Z", "conditions": [{{string.Join(", ", conditions)}}]}"""));
}
