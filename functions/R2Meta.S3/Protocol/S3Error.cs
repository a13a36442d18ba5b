namespace R2Meta.S3.Protocol;

/// <summary>An S3 error as the client sees it: HTTP status, Code and Message.</summary>
public sealed record S3Error(int Status, string Code, string Message)
{
    /// <summary>Extra elements written into the error XML (e.g. ArgumentName, Key).</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }

    /// <summary>Response headers the error carries (a delete marker's x-amz-delete-marker and x-amz-version-id).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public S3Error With(string message) => this with { Message = message };

    public S3Error WithHeader(string name, string value)
    {
        var headers = Headers is null ? new Dictionary<string, string>() : new Dictionary<string, string>(Headers);
        headers[name] = value;
        return this with { Headers = headers };
    }

    public S3Error WithDetail(string name, string value)
    {
        var details = Details is null ? new Dictionary<string, string>() : new Dictionary<string, string>(Details);
        details[name] = value;
        return this with { Details = details };
    }

    public S3Exception ToException() => new(this);
}

/// <summary>
/// Carries an <see cref="S3Error"/> out of parsing, validation or body streaming to the pipeline,
/// which writes it as S3 error XML. Only for errors a client caused or must see.
/// </summary>
public sealed class S3Exception : Exception
{
    public S3Exception(S3Error error) : base(error.Message) => Error = error;

    public S3Exception() : this(S3Errors.InternalError)
    {
    }

    public S3Exception(string message) : this(S3Errors.InternalError.With(message))
    {
    }

    public S3Exception(string message, Exception innerException) : base(message, innerException) => Error = S3Errors.InternalError.With(message);

    public S3Error Error { get; }
}
