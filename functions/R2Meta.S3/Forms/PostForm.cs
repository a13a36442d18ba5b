namespace R2Meta.S3.Forms;

/// <summary>One text field of a form, as sent (the name keeps its case; S3 compares names case-insensitively).</summary>
public sealed record FormField(string Name, string Value);

/// <summary>
/// A PostObject form as far as S3 reads it before the upload: the text fields that precede the <c>file</c> part,
/// and the file part itself, still unread. Fields after the file are never read (S3 ignores them).
/// </summary>
public sealed class PostForm
{
    public PostForm(IReadOnlyList<FormField> fields, string? fileName, FormFileStream file)
    {
        Fields = fields;
        FileName = fileName;
        File = file;
    }

    /// <summary>The fields before the file part, in order.</summary>
    public IReadOnlyList<FormField> Fields { get; }

    /// <summary>The file part's <c>filename</c> (what <c>${filename}</c> stands for); null when it had none.</summary>
    public string? FileName { get; }

    /// <summary>The file part's bytes, read straight from the request body.</summary>
    public FormFileStream File { get; }

    /// <summary>The first field of that name, compared case-insensitively as S3 does; null when absent.</summary>
    public string? this[string name] => Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    public bool Has(string name) => this[name] is not null;
}
