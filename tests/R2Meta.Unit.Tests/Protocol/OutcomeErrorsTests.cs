using R2Meta.Domain.Outcomes;
using R2Meta.S3.Protocol;

namespace R2Meta.Unit.Tests.Protocol;

/// <summary>Every domain failure reaches the client as a definite S3 error (never a 500), in one mapping.</summary>
public sealed class OutcomeErrorsTests
{
    public static TheoryData<Failure> Failures() => [.. Enum.GetValues<Failure>()];

    [Theory]
    [MemberData(nameof(Failures))]
    public void ToS3Error_EveryFailure_IsAClientOrRetryError(Failure failure)
    {
        var error = OutcomeErrors.ToS3Error(new DomainError(failure, "subject"));

        Assert.NotEqual(S3Errors.InternalError.Code, error.Code);
        // 501 NotImplemented says a feature is not offered (here: by this deployment's configuration), never a fault.
        Assert.True(error.Status is >= 400 and < 500 or 501 or 503, $"{failure} maps to status {error.Status}");
    }

    [Theory]
    [InlineData(Failure.NoSuchBucket, 404, "NoSuchBucket")]
    [InlineData(Failure.NotAvailableHere, 501, "NotImplemented")]
    [InlineData(Failure.AccessDenied, 403, "AccessDenied")]
    [InlineData(Failure.BucketNotEmpty, 409, "BucketNotEmpty")]
    [InlineData(Failure.NoSuchKey, 404, "NoSuchKey")]
    [InlineData(Failure.KeyTooLong, 400, "KeyTooLongError")]
    [InlineData(Failure.PreconditionFailed, 412, "PreconditionFailed")]
    [InlineData(Failure.NoSuchUpload, 404, "NoSuchUpload")]
    [InlineData(Failure.PartTooSmall, 400, "EntityTooSmall")]
    [InlineData(Failure.ChecksumMismatch, 400, "BadDigest")]
    [InlineData(Failure.BodyLongerThanDeclared, 400, "IncompleteBody")]
    [InlineData(Failure.Busy, 503, "SlowDown")]
    [InlineData(Failure.ReservedBucketName, 400, "InvalidBucketName")]
    public void ToS3Error_Failure_HasItsS3CodeAndStatus(Failure failure, int status, string code)
    {
        var error = OutcomeErrors.ToS3Error(new DomainError(failure));

        Assert.Equal((status, code), (error.Status, error.Code));
    }

    [Fact]
    public void ToS3Error_InvalidPart_CarriesThePartAsDetails()
    {
        var error = OutcomeErrors.ToS3Error(new DomainError(Failure.InvalidPart, "upload") { Facts = [new("PartNumber", "2"), new("ETag", "\"e\"")] });

        Assert.Equal("2", error.Details!["PartNumber"]);
        Assert.Equal("\"e\"", error.Details["ETag"]);
    }

    [Fact]
    public void OrThrow_Failed_ThrowsTheMappedError()
    {
        Outcome<int> failed = new DomainError(Failure.NoSuchKey, "a/b");

        var thrown = Assert.Throws<S3Exception>(() => failed.OrThrow());

        Assert.Equal("NoSuchKey", thrown.Error.Code);
        Assert.Equal("a/b", thrown.Error.Details!["Key"]);
        Assert.Equal(7, new Outcome<int>(7).OrThrow());
    }

    [Fact]
    public void Failure_Values_AreStable()
    {
        string[] expected =
        [
            "NoSuchBucket=1", "AccessDenied=2", "BucketAlreadyExists=3", "BucketAlreadyOwnedByYou=4", "BucketNotEmpty=5",
            "InvalidBucketName=6", "NoSuchKey=7", "KeyTooLong=8", "PreconditionFailed=9", "NoSuchUpload=10", "InvalidPart=11",
            "InvalidPartOrder=12", "PartTooSmall=13", "ChecksumMismatch=14", "ChecksumAlgorithmMismatch=15", "CopyToItself=16",
            "CopySourceTooLarge=17", "InvalidCopySourceRange=18", "CopySourceRangeNotSatisfiable=19", "BodyLongerThanDeclared=20",
            "Busy=21",
            "ReservedBucketName=22",
            "InvalidRange=23",
            "InvalidPartNumber=24",
            "ChecksumTypeMismatch=25",
            "PartChecksumMissing=26",
            "NoSuchVersion=27",
            "InvalidVersionId=28",
            "DeleteMarkerVersion=29",
            "InvalidCopySourceVersion=30",
            "InvalidLocationConstraint=31",
            "NotAvailableHere=32",
        ];
        Assert.Equal(expected, Enum.GetValues<Failure>().Select(v => $"{v}={(int)v}"));
    }
}
