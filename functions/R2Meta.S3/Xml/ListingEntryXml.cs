using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using R2Meta.Domain.Listing;
using R2Meta.Domain.Storage;

namespace R2Meta.S3.Xml;

/// <summary>
/// The entries of a ListObjects / ListObjectsV2 page (Contents and CommonPrefixes), written straight to the
/// response's XML writer: built as elements, a 1,000-key page was thousands of objects to throw away.
/// </summary>
internal static class ListingEntryXml
{
    private static readonly string Ns = S3Xml.Ns.NamespaceName;

    public static void Write(XmlWriter writer, ListPage page, Func<string, string> encode, XElement? owner)
    {
        foreach (var entry in page.Entries)
        {
            if (entry.Object is { } o)
            {
                WriteContents(writer, o, encode, owner);
            }
        }

        foreach (var entry in page.Entries)
        {
            if (entry.IsCommonPrefix)
            {
                writer.WriteStartElement("CommonPrefixes", Ns);
                writer.WriteElementString("Prefix", Ns, encode(entry.Name));
                writer.WriteEndElement();
            }
        }
    }

    private static void WriteContents(XmlWriter writer, ObjectRecord o, Func<string, string> encode, XElement? owner)
    {
        writer.WriteStartElement("Contents", Ns);
        writer.WriteElementString("Key", Ns, encode(o.Key));
        writer.WriteElementString("LastModified", Ns, S3Xml.Timestamp(o.LastModified));
        writer.WriteElementString("ETag", Ns, o.ETag);
        WriteChecksums(writer, o);
        writer.WriteElementString("Size", Ns, o.Size.ToString(CultureInfo.InvariantCulture));
        writer.WriteElementString("StorageClass", Ns, o.StorageClass);
        owner?.WriteTo(writer);
        writer.WriteEndElement();
    }

    private static void WriteChecksums(XmlWriter writer, ObjectRecord o)
    {
        foreach (var algorithm in ChecksumAlgorithms(o))
        {
            writer.WriteElementString("ChecksumAlgorithm", Ns, algorithm);
        }

        if (o.Checksums.Count > 0 && o.ChecksumType is { } type)
        {
            writer.WriteElementString("ChecksumType", Ns, type);
        }
    }

    /// <summary>
    /// The object's checksum algorithms in the order listings name them (ordinal). Almost every object has one, which
    /// needs no sort: sorting a single name through LINQ was a tenth of a listing page's allocations.
    /// </summary>
    public static IEnumerable<string> ChecksumAlgorithms(ObjectRecord o) =>
        o.Checksums.Count <= 1 ? o.Checksums.Keys : o.Checksums.Keys.Order(StringComparer.Ordinal);
}
