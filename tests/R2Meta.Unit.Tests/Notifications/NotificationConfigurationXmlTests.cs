using System.Xml.Linq;
using R2Meta.S3.Notifications;
using R2Meta.S3.Protocol;

namespace R2Meta.Unit.Tests.Notifications;

public sealed class NotificationConfigurationXmlTests
{
    private const string Arn = "arn:aws:sqs:us-east-1:123456789012:events";

    [Fact]
    public void Parse_ThenWrite_RoundTrips()
    {
        var xml = $"""
            <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <QueueConfiguration><Id>a</Id><Queue>{Arn}</Queue><Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:Delete</Event>
                <Filter><S3Key><FilterRule><Name>Prefix</Name><Value>in/</Value></FilterRule><FilterRule><Name>suffix</Name><Value>.csv</Value></FilterRule></S3Key></Filter>
              </QueueConfiguration>
            </NotificationConfiguration>
            """;

        var parsed = NotificationConfigurationXml.Parse(XElement.Parse(xml));
        var again = NotificationConfigurationXml.Parse(NotificationConfigurationXml.Write(parsed));

        var queue = Assert.Single(again.Queues);
        Assert.Equal(("a", Arn, "events", "in/", ".csv"), (queue.Id, queue.QueueArn, queue.QueueName, queue.Prefix, queue.Suffix));
        Assert.Equal(["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], queue.Events);
    }

    [Fact]
    public void Parse_Empty_NoQueues()
    {
        Assert.Empty(NotificationConfigurationXml.Parse(XElement.Parse("<NotificationConfiguration/>")).Queues);
    }

    [Fact]
    public void Parse_DuplicateIds_InvalidArgument()
    {
        var one = $"<QueueConfiguration><Id>a</Id><Queue>{Arn}</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>";

        var error = Assert.Throws<S3Exception>(() => NotificationConfigurationXml.Parse(XElement.Parse($"<NotificationConfiguration>{one}{one}</NotificationConfiguration>")));

        Assert.Equal("InvalidArgument", error.Error.Code);
    }

    [Theory]
    [InlineData("CloudFunctionConfiguration")]
    [InlineData("EventBridgeConfiguration")]
    public void Parse_OtherDestinations_NotImplemented(string element)
    {
        var error = Assert.Throws<S3Exception>(() => NotificationConfigurationXml.Parse(XElement.Parse($"<NotificationConfiguration><{element}/></NotificationConfiguration>")));

        Assert.Equal(501, error.Error.Status);
    }
}
