using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Xml;

/// <summary>Building and writing S3 XML documents.</summary>
public static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    // Synchronous: an asynchronous XmlWriter allocates a 64 KiB buffer per document; this one writes
    // into the response's pipe (pooled memory, see ResponsePipeStream) and the pipe is flushed once.
    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        // Keys may hold control characters XML 1.0 cannot carry; like S3, write them as character
        // references (&#x1;) instead of failing halfway through a response.
        CheckCharacters = false,
    };

    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    /// <summary>An element without the S3 namespace (the error document has none).</summary>
    public static XElement Plain(string name, params object?[] content) => new(name, content);

    /// <summary>S3's timestamp form: 2009-10-12T17:50:30.000Z.</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static Task WriteAsync(HttpResponse response, XElement root, int status = 200, CancellationToken cancellationToken = default) =>
        WriteAsync(response, root, static _ => { }, status, cancellationToken);

    /// <summary>
    /// Writes <paramref name="root"/> with <paramref name="writeTail"/>'s elements appended to it, straight to the response
    /// (every S3 document goes out here): a document whose long part, a listing page's entries, is cheaper written than
    /// built as a tree passes it as the tail.
    /// </summary>
    public static async Task WriteAsync(HttpResponse response, XElement root, Action<XmlWriter> writeTail, int status = 200, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(writeTail);
        response.StatusCode = status;
        response.ContentType = "application/xml";
        using (var writer = XmlWriter.Create(new ResponsePipeStream(response.BodyWriter), WriterSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(root.Name.LocalName, root.Name.NamespaceName);
            foreach (var attribute in root.Attributes())
            {
                WriteAttribute(writer, attribute);
            }

            foreach (var node in root.Nodes())
            {
                node.WriteTo(writer);
            }

            writeTail(writer);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The root's attributes as XDocument writes them: prefixed namespace declarations (xmlns:xsi) stay on the root.</summary>
    private static void WriteAttribute(XmlWriter writer, XAttribute attribute)
    {
        if (!attribute.IsNamespaceDeclaration)
        {
            writer.WriteAttributeString(attribute.Name.LocalName, attribute.Name.NamespaceName, attribute.Value);
        }
        else if (attribute.Name.Namespace != XNamespace.None)
        {
            writer.WriteAttributeString("xmlns", attribute.Name.LocalName, XNamespace.Xmlns.NamespaceName, attribute.Value);
        }

        // A default namespace declaration (xmlns="...") is written by WriteStartElement itself.
    }

    /// <summary>
    /// Reads a small XML request body (at most <paramref name="maxBytes"/>), rejecting malformed XML
    /// with MalformedXML. DTDs are prohibited.
    /// </summary>
    public static async Task<XDocument> ReadAsync(Stream body, long maxBytes, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw S3Errors.MalformedXML.With("The XML you provided was too large.").ToException();
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        try
        {
            using var reader = XmlReader.Create(buffer, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, Async = true });
            return await XDocument.LoadAsync(reader, LoadOptions.None, cancellationToken).ConfigureAwait(false);
        }
        catch (XmlException)
        {
            throw S3Errors.MalformedXML.ToException();
        }
    }

    /// <summary>Child element value by local name, ignoring namespace (clients differ in whether they send one).</summary>
    public static string? Child(XElement parent, string localName) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

    public static IEnumerable<XElement> Children(XElement parent, string localName) => parent.Elements().Where(e => e.Name.LocalName == localName);
}
