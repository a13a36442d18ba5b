using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Storage;

namespace R2Meta.S3.Protocol;

/// <summary>The versioning response headers, named once.</summary>
public static class VersionHeaders
{
    public const string VersionId = "x-amz-version-id";
    public const string DeleteMarker = "x-amz-delete-marker";
    public const string CopySourceVersionId = "x-amz-copy-source-version-id";

    /// <summary>
    /// x-amz-version-id of a write: the new version's id. A null version (suspended bucket) and a record of an
    /// unversioned bucket answer none, as S3 names only the ids it generated.
    /// </summary>
    public static void WriteCreated(IHeaderDictionary headers, ObjectRecord record)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(record);
        if (record.VersionId is not null && !record.IsNullVersion)
        {
            headers[VersionId] = record.VersionId;
        }
    }

    /// <summary>x-amz-version-id of a read (GET/HEAD): any version of a versioned bucket, "null" for the null version.</summary>
    public static void WriteRead(IHeaderDictionary headers, ObjectRecord record, bool byVersionId)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(record);
        if (record.VersionId is not null || byVersionId)
        {
            headers[VersionId] = record.S3VersionId;
        }
    }
}
