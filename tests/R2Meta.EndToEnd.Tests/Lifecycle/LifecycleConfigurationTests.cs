using System.Net;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Lifecycle;

/// <summary>Put/Get/DeleteBucketLifecycleConfiguration over the wire, and x-amz-expiration on PUT, GET and HEAD.</summary>
public abstract class LifecycleConfigurationTests(R2MetaHost host) : OneBucketTests(host, "lcconf")
{
    [Fact]
    public async Task GetBucketLifecycle_NoConfiguration_NoSuchLifecycleConfiguration()
    {
        // AWSSDK answers S3's 404 with an empty configuration, so the wire is read here.
        using var get = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}?lifecycle");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("NoSuchLifecycleConfiguration", await RawRequests.ErrorCodeAsync(get));
        Assert.Empty((await S3.GetLifecycleConfigurationAsync(Bucket)).Configuration?.Rules ?? []);
        var deleted = await S3.DeleteLifecycleConfigurationAsync(Bucket);
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
    }

    [Fact]
    public async Task PutBucketLifecycle_EveryRuleShape_ReadsBackAndDeletes()
    {
        var date = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await S3.PutLifecycleConfigurationAsync(Bucket, new LifecycleConfiguration
        {
            Rules =
            [
                new LifecycleRule { Id = "days", Filter = new LifecycleFilter { Prefix = "logs/" }, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Days = 7 } },
                new LifecycleRule
                {
                    Id = "and",
                    Filter = new LifecycleFilter { And = new LifecycleRuleAndOperator { Prefix = "p/", Tags = [new Tag { Key = "k", Value = "v" }], ObjectSizeGreaterThan = 10, ObjectSizeLessThan = 20 } },
                    Status = LifecycleRuleStatus.Disabled,
                    Expiration = new LifecycleRuleExpiration { Date = date },
                },
                new LifecycleRule
                {
                    Id = "noncurrent",
                    Filter = new LifecycleFilter(),
                    Status = LifecycleRuleStatus.Enabled,
                    NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 3, NewerNoncurrentVersions = 2 },
                    AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 1 },
                    Transitions = [new LifecycleTransition { Days = 30, StorageClass = S3StorageClass.StandardInfrequentAccess }],
                },
                new LifecycleRule { Filter = new LifecycleFilter { Tag = new Tag { Key = "tmp", Value = "1" } }, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Days = 1 } },
            ],
        });

        var rules = (await S3.GetLifecycleConfigurationAsync(Bucket)).Configuration.Rules;
        Assert.Equal(4, rules.Count);
        using var raw = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}?lifecycle");
        var document = XDocument.Parse(await raw.Content.ReadAsStringAsync());
        XNamespace ns = "http://s3.amazonaws.com/doc/2006-03-01/";
        Assert.Equal("logs/", document.Root!.Elements(ns + "Rule").First().Element(ns + "Filter")?.Element(ns + "Prefix")?.Value);
        Assert.Equal(7, rules[0].Expiration.Days);
        Assert.Equal(LifecycleRuleStatus.Disabled, rules[1].Status);
        Assert.Equal(date, rules[1].Expiration.Date?.ToUniversalTime());
        // AWSSDK reads a Filter's conditions into its legacy predicate types: the XML is checked on the wire.
        var and = document.Root.Elements(ns + "Rule").ElementAt(1).Element(ns + "Filter")!.Element(ns + "And")!;
        Assert.Equal("p/", and.Element(ns + "Prefix")?.Value);
        Assert.Equal("10", and.Element(ns + "ObjectSizeGreaterThan")?.Value);
        Assert.Equal("20", and.Element(ns + "ObjectSizeLessThan")?.Value);
        Assert.Equal("v", and.Element(ns + "Tag")?.Element(ns + "Value")?.Value);
        Assert.Equal(2, rules[2].NoncurrentVersionExpiration.NewerNoncurrentVersions);
        Assert.Equal(1, rules[2].AbortIncompleteMultipartUpload.DaysAfterInitiation);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, Assert.Single(rules[2].Transitions).StorageClass);
        Assert.False(string.IsNullOrEmpty(rules[3].Id));
        Assert.Equal("tmp", document.Root.Elements(ns + "Rule").ElementAt(3).Element(ns + "Filter")?.Element(ns + "Tag")?.Element(ns + "Key")?.Value);

        await S3.DeleteLifecycleConfigurationAsync(Bucket);
        Assert.Empty((await S3.GetLifecycleConfigurationAsync(Bucket)).Configuration?.Rules ?? []);
    }

    [Fact]
    public async Task PutBucketLifecycle_Invalid_AnswersAsS3AndKeepsTheOldConfiguration()
    {
        await S3.PutLifecycleConfigurationAsync(Bucket, Config(Rule("kept", days: 5)));

        Assert.Equal("InvalidArgument", await RefusalAsync(Rule(new string('a', 256), days: 1)));
        Assert.Equal("InvalidArgument", await RefusalAsync(Rule("a", days: 1), Rule("a", days: 2)));
        Assert.Equal("InvalidArgument", await RefusalAsync(Rule("zero", days: 0)));
        using var lowercase = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}?lifecycle", new StringContent(
            "<LifecycleConfiguration><Rule><ID>r</ID><Prefix>p/</Prefix><Status>enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>"));
        Assert.Equal(HttpStatusCode.BadRequest, lowercase.StatusCode);
        Assert.Equal("MalformedXML", await RawRequests.ErrorCodeAsync(lowercase));
        Assert.Equal("InvalidRequest", await RefusalAsync(new LifecycleRule { Id = "none", Filter = new LifecycleFilter(), Status = LifecycleRuleStatus.Enabled }));
        var glacier = new LifecycleRule
        {
            Id = "glacier", Filter = new LifecycleFilter(), Status = LifecycleRuleStatus.Enabled,
            Transitions = [new LifecycleTransition { Days = 30, StorageClass = S3StorageClass.Glacier }],
        };
        Assert.Equal("InvalidStorageClass", await RefusalAsync(glacier));

        Assert.Equal("kept", Assert.Single((await S3.GetLifecycleConfigurationAsync(Bucket)).Configuration.Rules).Id);
    }

    [Fact]
    public async Task XAmzExpiration_PutGetHead_NameTheEarliestMatchingRule()
    {
        await S3.PutLifecycleConfigurationAsync(Bucket, Config(Rule("late", days: 10), Rule("soon", days: 2, prefix: "logs/"), Rule("other", days: 1, prefix: "other/")));
        var before = DateTime.UtcNow;

        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "logs/a", ContentBody = "a" });
        var expected = before.Date.AddDays(before.TimeOfDay == TimeSpan.Zero ? 2 : 3);
        Assert.Equal("soon", put.Expiration.RuleId);
        Assert.Equal(expected, put.Expiration.ExpiryDate.ToUniversalTime());

        var head = await S3.GetObjectMetadataAsync(Bucket, "logs/a");
        Assert.Equal("soon", head.Expiration.RuleId);
        Assert.Equal(expected, head.Expiration.ExpiryDate.ToUniversalTime());
        using var get = await S3.GetObjectAsync(Bucket, "logs/a");
        Assert.Equal("soon", get.Expiration.RuleId);

        var unmatched = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "x", ContentBody = "x" });
        Assert.Equal("late", unmatched.Expiration.RuleId);
        await S3.DeleteLifecycleConfigurationAsync(Bucket);
        var none = await S3.GetObjectMetadataAsync(Bucket, "logs/a");
        Assert.Null(none.Expiration);
    }

    private static LifecycleRule Rule(string id, int days, string prefix = "") => new()
    {
        Id = id, Filter = new LifecycleFilter { Prefix = prefix }, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Days = days },
    };

    private static LifecycleConfiguration Config(params LifecycleRule[] rules) => new() { Rules = [.. rules] };

    private async Task<string> RefusalAsync(params LifecycleRule[] rules)
    {
        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => S3.PutLifecycleConfigurationAsync(Bucket, Config(rules)));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        return e.ErrorCode;
    }
}

public sealed class TablesLifecycleConfigurationTests(TablesHost host) : LifecycleConfigurationTests(host), IClassFixture<TablesHost>;

public sealed class CosmosLifecycleConfigurationTests(CosmosHost host) : LifecycleConfigurationTests(host), IClassFixture<CosmosHost>;
