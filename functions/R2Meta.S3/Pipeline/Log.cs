using Microsoft.Extensions.Logging;

namespace R2Meta.S3.Pipeline;

/// <summary>All log messages of the S3 protocol layer, with their event ids, in one place (the domain's: 20 and up, in R2Meta.Domain.Diagnostics.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{RequestId} {Method} {Path} -> {Operation}")]
    public static partial void Routed(ILogger logger, string requestId, string method, string path, string operation);

    /// <summary>An S3 error answer: a 4xx is the client's business (Debug), a 5xx ours (Error).</summary>
    public static void ClientError(ILogger logger, string requestId, string operation, int status, string code)
    {
        if (status >= 500)
        {
            ServerError(logger, requestId, operation, status, code);
        }
        else
        {
            Answered(logger, requestId, operation, status, code);
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{RequestId} {Operation} answered {Status} {Code}")]
    private static partial void Answered(ILogger logger, string requestId, string operation, int status, string code);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "{RequestId} {Operation} answered {Status} {Code}")]
    private static partial void ServerError(ILogger logger, string requestId, string operation, int status, string code);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{RequestId} {Operation} failed")]
    public static partial void Unhandled(ILogger logger, Exception exception, string requestId, string operation);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{RequestId} {Operation} answered 503: store unavailable ({Reason})")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception, string requestId, string operation, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{RequestId} client went away during {Operation}")]
    public static partial void ClientAborted(ILogger logger, string requestId, string operation);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "readiness probe of {Check} answered {Outcome}")]
    public static partial void ProbeFailed(ILogger logger, Exception exception, string check, string outcome);
}
