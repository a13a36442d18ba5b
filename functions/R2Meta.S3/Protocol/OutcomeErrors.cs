using R2Meta.Domain.Outcomes;

namespace R2Meta.S3.Protocol;

/// <summary>
/// The one place where domain failures become S3 errors. Handlers call <see cref="OrThrow{T}(Outcome{T})"/>
/// on what a service returned; the pipeline writes the resulting <see cref="S3Exception"/> as error XML.
/// </summary>
public static class OutcomeErrors
{
    /// <summary>The outcome's value, or its failure as the S3 error the pipeline answers with.</summary>
    public static T OrThrow<T>(this Outcome<T> outcome) =>
        outcome.IsOk ? outcome.Value : throw new S3Exception(ToS3Error(outcome.Error));

    public static void OrThrow(this Outcome outcome)
    {
        if (!outcome.IsOk)
        {
            throw new S3Exception(ToS3Error(outcome.Error));
        }
    }

    // No default arm: a new Failure without a mapping fails the build (CS8509 is an error under
    // TreatWarningsAsErrors). CS8524 only speaks of values outside the enum, which services never return.
#pragma warning disable CS8524
    public static S3Error ToS3Error(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var subject = error.Subject ?? string.Empty;
        var s3 = error.Failure switch
        {
            Failure.NoSuchBucket => S3Errors.NoSuchBucket.WithDetail("BucketName", subject),
            Failure.AccessDenied => S3Errors.AccessDenied,
            Failure.BucketAlreadyExists => S3Errors.BucketAlreadyExists.WithDetail("BucketName", subject),
            Failure.BucketAlreadyOwnedByYou => S3Errors.BucketAlreadyOwnedByYou.WithDetail("BucketName", subject),
            Failure.BucketNotEmpty => S3Errors.BucketNotEmpty.WithDetail("BucketName", subject),
            Failure.InvalidLocationConstraint => S3Errors.InvalidLocationConstraint.WithDetail("LocationConstraint", subject),
            Failure.InvalidBucketName => S3Errors.InvalidBucketName.WithDetail("BucketName", subject),
            Failure.NoSuchKey => WithMarkerHeaders(error, error.Subject is null ? S3Errors.NoSuchKey : S3Errors.NoSuchKey.WithDetail("Key", subject)),
            Failure.NoSuchVersion => S3Errors.NoSuchVersion.WithDetail("Key", Fact(error, "Key")).WithDetail("VersionId", subject),
            Failure.InvalidVersionId => S3Errors.InvalidArgument.With("Invalid version id specified")
                .WithDetail("ArgumentName", "versionId")
                .WithDetail("ArgumentValue", subject),
            Failure.DeleteMarkerVersion => WithMarkerHeaders(error, S3Errors.MethodNotAllowed.WithDetail("Method", "GET").WithDetail("ResourceType", "DeleteMarker")),
            Failure.InvalidCopySourceVersion => S3Errors.InvalidRequest.With("The source of a copy request may not specifically refer to a delete marker by version id."),
            Failure.KeyTooLong => S3Errors.KeyTooLongError,
            Failure.PreconditionFailed => error.Subject is null ? S3Errors.PreconditionFailed : S3Errors.PreconditionFailed.WithDetail("Condition", subject),
            Failure.NoSuchUpload => S3Errors.NoSuchUpload.WithDetail("UploadId", subject),
            Failure.InvalidPart => S3Errors.InvalidPart,
            Failure.InvalidPartOrder => S3Errors.InvalidPartOrder,
            Failure.PartTooSmall => S3Errors.EntityTooSmall,
            Failure.ChecksumMismatch => S3Errors.BadDigest.With($"The {subject} you specified for the object did not match the calculated checksum."),
            Failure.ChecksumAlgorithmMismatch => S3Errors.InvalidRequest.With(
                $"Checksum Type mismatch occurred, expected checksum Type: {Fact(error, "Expected").ToLowerInvariant()}, actual checksum Type: {Fact(error, "Actual").ToLowerInvariant()}"),
            Failure.CopyToItself => S3Errors.InvalidRequest.With("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."),
            Failure.CopySourceTooLarge => S3Errors.InvalidRequest.With("The specified copy source is larger than the maximum allowable size for a copy source: 5368709120"),
            Failure.InvalidCopySourceRange => S3Errors.InvalidArgument
                .With("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
                .WithDetail("ArgumentName", "x-amz-copy-source-range")
                .WithDetail("ArgumentValue", subject),
            Failure.CopySourceRangeNotSatisfiable => S3Errors.InvalidArgument
                .With("Range specified is not valid for source object of size: " + Fact(error, "Size"))
                .WithDetail("ArgumentName", "x-amz-copy-source-range")
                .WithDetail("ArgumentValue", subject),
            Failure.BodyLongerThanDeclared => S3Errors.IncompleteBody.With("The request body is longer than its declared length."),
            Failure.NotAvailableHere => S3Errors.NotImplemented.With(subject),
            Failure.Busy => error.Subject is null ? S3Errors.SlowDown : S3Errors.SlowDown.With(subject),
            Failure.ReservedBucketName => S3Errors.InvalidBucketName
                .With($"The bucket name '{subject}' is reserved on this deployment: its host answers the path /{subject} itself, so the bucket could not be reached path-style. Choose another name.")
                .WithDetail("BucketName", subject),
            Failure.InvalidRange => S3Errors.InvalidRange,
            Failure.InvalidPartNumber => S3Errors.InvalidPartNumber,
            Failure.ChecksumTypeMismatch => S3Errors.BadDigest.With(
                $"The checksum type {subject} you specified does not match the checksum type {Fact(error, "Expected")} of the multipart upload."),
            Failure.PartChecksumMissing => S3Errors.InvalidRequest.With(
                $"The upload was created using a {subject.ToLowerInvariant()} checksum. The complete request must include the checksum for each part. It was missing for part {Fact(error, "PartNumber")} in the request."),
        };

        // Failures about several values (a part: its number and ETag) carry them as XML elements.
        if (error.Failure is Failure.InvalidPart or Failure.PartTooSmall or Failure.InvalidRange or Failure.InvalidPartNumber)
        {
            foreach (var (name, value) in error.Facts)
            {
                s3 = s3.WithDetail(name, value);
            }
        }

        return s3;
    }
#pragma warning restore CS8524

    /// <summary>A failure caused by a delete marker answers its headers, as S3 does (x-amz-delete-marker, x-amz-version-id).</summary>
    private static S3Error WithMarkerHeaders(DomainError error, S3Error s3) =>
        Fact(error, Domain.Services.ObjectReader.DeleteMarkerFact) == "true"
            ? s3.WithHeader(VersionHeaders.DeleteMarker, "true").WithHeader(VersionHeaders.VersionId, Fact(error, Domain.Services.ObjectReader.VersionIdFact))
            : s3;

    private static string Fact(DomainError error, string name) =>
        error.Facts.FirstOrDefault(f => f.Key == name).Value ?? string.Empty;
}
