using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Forms;

/// <summary>
/// Reads a multipart/form-data body the way S3's PostObject does, streaming: the fields before the <c>file</c>
/// part are read into memory under S3's 20 KB cap, then reading stops with the file part open, so its bytes go
/// from the request body into the object write without ever being held whole. Memory stays bounded by the
/// field cap and one buffer. Framing errors surface as <c>MalformedPOSTRequest</c>, also while the file is read.
/// </summary>
public static class PostFormReader
{
    /// <summary>S3's limit on the form data preceding the file (MaxPostPreDataLengthExceededError).</summary>
    public const int MaxPreDataBytes = 20 * 1024;

    private const string FileField = "file";
    private const int BufferBytes = 64 * 1024;

    /// <summary>The boundary of a multipart/form-data Content-Type; null for any other content type.</summary>
    public static string? Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).ToString();
        return boundary.Length is > 0 and <= 70 ? boundary : null;
    }

    /// <summary>Reads the fields up to the file part; throws the S3 error for a form S3 would refuse.</summary>
    public static async Task<PostForm> ReadAsync(Stream body, string boundary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var reader = new MultipartReader(boundary, body, BufferBytes) { BodyLengthLimit = null };
        var fields = new List<FormField>();
        var preData = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).ToString() is not { Length: > 0 } name)
                {
                    throw Malformed();
                }

                if (name.Equals(FileField, StringComparison.OrdinalIgnoreCase))
                {
                    var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.ToString() : HeaderUtilities.RemoveQuotes(disposition.FileName).ToString();
                    return new PostForm(fields, fileName.Length > 0 ? fileName : null, new FormFileStream(section.Body));
                }

                preData += Encoding.UTF8.GetByteCount(name);
                var value = await ReadFieldAsync(section.Body, MaxPreDataBytes - preData, cancellationToken).ConfigureAwait(false);
                preData += Encoding.UTF8.GetByteCount(value);
                fields.Add(new FormField(name, value));
            }
        }
        catch (Exception e) when (FormFileStream.IsFraming(e))
        {
            throw Malformed();
        }

        throw S3Errors.IncorrectNumberOfFilesInPostRequest.ToException();
    }

    internal static S3Exception Malformed() => S3Errors.MalformedPOSTRequest.ToException();

    private static async Task<string> ReadFieldAsync(Stream section, int budget, CancellationToken cancellationToken)
    {
        if (budget < 0)
        {
            throw S3Errors.MaxPostPreDataLengthExceededError.ToException();
        }

        // One byte more than the budget tells "at the cap" from "over it" without reading further.
        var buffer = new byte[Math.Min(budget + 1, 4096)];
        using var value = new MemoryStream();
        int read;
        while ((read = await section.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            value.Write(buffer, 0, read);
            if (value.Length > budget)
            {
                throw S3Errors.MaxPostPreDataLengthExceededError.ToException();
            }
        }

        return Encoding.UTF8.GetString(value.GetBuffer(), 0, (int)value.Length);
    }
}
