using System.Xml.Linq;
using R2Meta.Domain.Lifecycle;
using R2Meta.S3.Lifecycle;
using R2Meta.S3.Protocol;

namespace R2Meta.Unit.Tests.Lifecycle;

public sealed class LifecycleConfigurationXmlTests
{
    private const string Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static XElement Config(params string[] rules) =>
        XElement.Parse($"<LifecycleConfiguration xmlns=\"{Ns}\">{string.Concat(rules)}</LifecycleConfiguration>");

    private static string Rule(string inner, string filter = "<Filter><Prefix>logs/</Prefix></Filter>", string status = "Enabled") =>
        $"<Rule>{filter}<Status>{status}</Status>{inner}</Rule>";

    private static string Refusal(XElement root) => Assert.Throws<S3Exception>(() => LifecycleConfigurationXml.Parse(root)).Error.Code;

    [Fact]
    public void Parse_EveryAction_RoundTripsThroughWrite()
    {
        var root = Config(
            Rule("<ID>a</ID><Expiration><Days>60</Days></Expiration><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"
                + "<NoncurrentVersionTransition><NoncurrentDays>40</NoncurrentDays><StorageClass>STANDARD_IA</StorageClass></NoncurrentVersionTransition>"
                + "<NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>"
                + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>"),
            Rule("<ID>b</ID><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>",
                "<Filter><And><Prefix>p/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag><Tag><Key>k2</Key><Value>v2</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>20</ObjectSizeLessThan></And></Filter>"),
            "<Rule><ID>c</ID><Prefix>old/</Prefix><Status>Disabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
            Rule("<ID>d</ID><Expiration><Days>1</Days></Expiration>", "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"),
            Rule("<ID>e</ID><Expiration><Days>1</Days></Expiration>", "<Filter></Filter>"));
        var rules = LifecycleConfigurationXml.Parse(root);

        Assert.Equal(5, rules.Count);
        Assert.Equal(60, rules[0].ExpirationDays);
        Assert.Equal(2, rules[0].NewerNoncurrentVersions);
        Assert.Equal(1, rules[0].AbortDaysAfterInitiation);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), rules[1].ExpirationDate);
        Assert.Equal(LifecycleFilterForm.And, rules[1].FilterForm);
        Assert.Equal(2, rules[1].Filter.Tags!.Count);
        Assert.Equal(LifecycleFilterForm.LegacyPrefix, rules[2].FilterForm);
        Assert.False(rules[2].Enabled);
        Assert.True(rules[2].ExpiredObjectDeleteMarker);
        Assert.Equal(string.Empty, rules[4].Filter.Prefix);
        var again = LifecycleConfigurationXml.Parse(LifecycleConfigurationXml.Write(rules));
        Assert.Equal(
            rules.Select(r => r with { Transitions = null, NoncurrentTransitions = null, Filter = r.Filter with { Tags = null } }),
            again.Select(r => r with { Transitions = null, NoncurrentTransitions = null, Filter = r.Filter with { Tags = null } }));
        Assert.Equal(rules[1].Filter.Tags, again[1].Filter.Tags);
        Assert.Equal(rules[0].Transitions, again[0].Transitions);
    }

    [Fact]
    public void Parse_NoId_GetsOneOfItsOwn()
    {
        var rules = LifecycleConfigurationXml.Parse(Config(Rule("<Expiration><Days>1</Days></Expiration>"), Rule("<Expiration><Days>2</Days></Expiration>")));
        Assert.All(rules, r => Assert.False(string.IsNullOrEmpty(r.Id)));
        Assert.NotEqual(rules[0].Id, rules[1].Id);
    }

    [Fact]
    public void Parse_OneThousandRules_Accepted_OneThousandAndOne_MalformedXML()
    {
        var rules = Enumerable.Range(0, 1001).Select(i => Rule($"<ID>r{i}</ID><Expiration><Days>1</Days></Expiration>")).ToArray();
        Assert.Equal(1000, LifecycleConfigurationXml.Parse(Config(rules[..1000])).Count);
        Assert.Equal("MalformedXML", Refusal(Config(rules)));
        Assert.Equal("MalformedXML", Refusal(Config()));
    }

    [Theory]
    [InlineData("<ID>a</ID><Expiration><Days>1</Days></Expiration>", "<Filter><Prefix>x</Prefix></Filter>", "enabled")]
    [InlineData("<ID>a</ID><Expiration><Days>1</Days></Expiration>", "", "Enabled")]
    [InlineData("<ID>a</ID><Expiration><Days>1</Days></Expiration>", "<Prefix>x</Prefix><Filter><Prefix>x</Prefix></Filter>", "Enabled")]
    [InlineData("<ID>a</ID><Expiration><Days>1</Days></Expiration>", "<Filter><Prefix>x</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>", "Enabled")]
    [InlineData("<ID>a</ID><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>", "<Filter/>", "Enabled")]
    [InlineData("<ID>a</ID><Expiration><Days>x</Days></Expiration>", "<Filter/>", "Enabled")]
    [InlineData("<ID>a</ID><Transition><Days>30</Days><StorageClass>COLD</StorageClass></Transition>", "<Filter/>", "Enabled")]
    [InlineData("<ID>a</ID><Bogus/><Expiration><Days>1</Days></Expiration>", "<Filter/>", "Enabled")]
    public void Parse_AgainstTheSchema_MalformedXML(string inner, string filter, string status) =>
        Assert.Equal("MalformedXML", Refusal(Config(Rule(inner, filter, status))));

    [Theory]
    [InlineData("<Expiration><Days>0</Days></Expiration>")]
    [InlineData("<Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>")]
    [InlineData("<Expiration><Date>20200101</Date></Expiration>")]
    [InlineData("<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>")]
    [InlineData("<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>")]
    [InlineData("<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>")]
    [InlineData("<Transition><Days>29</Days><StorageClass>STANDARD_IA</StorageClass></Transition>")]
    [InlineData("<Expiration><Days>30</Days></Expiration><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>")]
    public void Parse_OutOfRange_InvalidArgument(string inner) =>
        Assert.Equal("InvalidArgument", Refusal(Config(Rule("<ID>a</ID>" + inner))));

    [Fact]
    public void Parse_IdTooLongOrTwice_InvalidArgument()
    {
        Assert.Equal("InvalidArgument", Refusal(Config(Rule($"<ID>{new string('a', 256)}</ID><Expiration><Days>1</Days></Expiration>"))));
        Assert.Single(LifecycleConfigurationXml.Parse(Config(Rule($"<ID>{new string('a', 255)}</ID><Expiration><Days>1</Days></Expiration>"))));
        var twice = Rule("<ID>same</ID><Expiration><Days>1</Days></Expiration>");
        Assert.Equal("InvalidArgument", Refusal(Config(twice, twice)));
    }

    [Theory]
    [InlineData("<ID>a</ID>", "<Filter/>")]
    [InlineData("<ID>a</ID><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>", "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>")]
    [InlineData("<ID>a</ID><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>", "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>")]
    [InlineData("<ID>a</ID><Expiration><Days>1</Days></Expiration>", "<Filter><And><Tag><Key>k</Key><Value>v</Value></Tag><Tag><Key>k</Key><Value>w</Value></Tag></And></Filter>")]
    [InlineData("<ID>a</ID><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>", "<Filter/>")]
    public void Parse_CombinationS3Refuses_InvalidRequest(string inner, string filter) =>
        Assert.Equal("InvalidRequest", Refusal(Config(Rule(inner, filter))));

    [Theory]
    [InlineData("GLACIER")]
    [InlineData("DEEP_ARCHIVE")]
    [InlineData("ONEZONE_IA")]
    public void Parse_TransitionToAnotherClass_InvalidStorageClass(string storageClass) =>
        Assert.Equal("InvalidStorageClass", Refusal(Config(Rule($"<ID>a</ID><Transition><Days>30</Days><StorageClass>{storageClass}</StorageClass></Transition>"))));

    [Fact]
    public void Parse_DateOnly_IsMidnightUtc()
    {
        var rule = Assert.Single(LifecycleConfigurationXml.Parse(Config(Rule("<ID>a</ID><Expiration><Date>2017-09-27</Date></Expiration>"))));
        Assert.Equal(new DateTimeOffset(2017, 9, 27, 0, 0, 0, TimeSpan.Zero), rule.ExpirationDate);
    }
}
