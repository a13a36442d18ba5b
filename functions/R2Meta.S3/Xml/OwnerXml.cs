using System.Xml.Linq;
using R2Meta.Domain.Accounts;

namespace R2Meta.S3.Xml;

/// <summary>The Owner element S3 puts in listings.</summary>
public static class OwnerXml
{
    public static XElement Owner(Account account, string elementName = "Owner") =>
        S3Xml.E(elementName, S3Xml.E("ID", account.CanonicalUserId), S3Xml.E("DisplayName", account.DisplayName));

    public static XElement Owner(string canonicalUserId, string displayName, string elementName = "Owner") =>
        S3Xml.E(elementName, S3Xml.E("ID", canonicalUserId), S3Xml.E("DisplayName", displayName));
}
