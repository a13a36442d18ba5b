namespace R2Meta.Storage.Tables.Queries;

/// <summary>
/// Where a query's next page starts: the <c>x-ms-continuation-NextPartitionKey</c> and <c>-NextRowKey</c> headers of
/// a page, sent back as the <c>NextPartitionKey</c> and <c>NextRowKey</c> query parameters. Opaque to the caller.
/// </summary>
internal readonly record struct TableContinuation(string NextPartitionKey, string? NextRowKey);
