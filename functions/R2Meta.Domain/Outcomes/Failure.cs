namespace R2Meta.Domain.Outcomes;

/// <summary>
/// The expected ways a domain operation does not succeed. Services return these (inside an
/// <see cref="Outcome{T}"/>) instead of throwing; the protocol maps each to its S3 error in one switch,
/// so a value added here without a mapping fails the build. Explicit values: logs and tests name them.
/// </summary>
public enum Failure
{
    NoSuchBucket = 1,
    /// <summary>The bucket exists but another account owns it.</summary>
    AccessDenied = 2,
    BucketAlreadyExists = 3,
    BucketAlreadyOwnedByYou = 4,
    BucketNotEmpty = 5,
    InvalidBucketName = 6,
    NoSuchKey = 7,
    KeyTooLong = 8,
    /// <summary>A write or copy-source condition does not hold; <see cref="DomainError.Subject"/> names it when known.</summary>
    PreconditionFailed = 9,
    NoSuchUpload = 10,
    /// <summary>A listed part is missing or differs from the stored one.</summary>
    InvalidPart = 11,
    InvalidPartOrder = 12,
    /// <summary>A part other than the last is below the minimum part size.</summary>
    PartTooSmall = 13,
    /// <summary>A checksum the client stated does not match the computed one; Subject is the algorithm.</summary>
    ChecksumMismatch = 14,
    /// <summary>A part names another checksum algorithm than its upload.</summary>
    ChecksumAlgorithmMismatch = 15,
    /// <summary>A copy onto its own source that changes nothing.</summary>
    CopyToItself = 16,
    CopySourceTooLarge = 17,
    /// <summary>x-amz-copy-source-range is not <c>bytes=first-last</c>; Subject is the value.</summary>
    InvalidCopySourceRange = 18,
    /// <summary>x-amz-copy-source-range reaches past the source; Subject is the value.</summary>
    CopySourceRangeNotSatisfiable = 19,
    /// <summary>The body goes on past its declared length.</summary>
    BodyLongerThanDeclared = 20,
    /// <summary>Concurrent changes kept winning the race; the client should retry. Subject says what kept changing.</summary>
    Busy = 21,
    /// <summary>A valid bucket name the host reserves for its own paths (the Functions host: admin, runtime); Subject is the name.</summary>
    ReservedBucketName = 22,
    /// <summary>A Range the object cannot satisfy; Facts: RangeRequested, ActualObjectSize.</summary>
    InvalidRange = 23,
    /// <summary>A partNumber beyond the object's parts; Facts: PartNumberRequested, ActualPartCount.</summary>
    InvalidPartNumber = 24,
    /// <summary>A Complete's x-amz-checksum-type is not its upload's; Subject is the stated type, Facts: Expected.</summary>
    ChecksumTypeMismatch = 25,
    /// <summary>A COMPOSITE upload's Complete lists a part without its checksum; Subject is the algorithm, Facts: PartNumber.</summary>
    PartChecksumMissing = 26,
    /// <summary>A well-formed version id the key does not have; Subject is the id, Facts: Key.</summary>
    NoSuchVersion = 27,
    /// <summary>A version id this store could not have issued; Subject is the value.</summary>
    InvalidVersionId = 28,
    /// <summary>GET/HEAD of a delete marker by its version id; Facts: DeleteMarker, VersionId.</summary>
    DeleteMarkerVersion = 29,
    /// <summary>A copy source version that is a delete marker; Subject is the version id.</summary>
    InvalidCopySourceVersion = 30,
    /// <summary>CreateBucket's LocationConstraint names no configured cluster's location; Subject is the value.</summary>
    InvalidLocationConstraint = 31,
    /// <summary>A feature this deployment's configuration cannot offer yet; Subject says which.</summary>
    NotAvailableHere = 32,
}
