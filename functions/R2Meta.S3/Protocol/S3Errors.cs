namespace R2Meta.S3.Protocol;

/// <summary>The error catalogue: every S3 error this service returns, with its status, in one place.</summary>
public static class S3Errors
{
    public static S3Error AccessDenied { get; } = new(403, "AccessDenied", "Access Denied");
    public static S3Error AuthorizationHeaderMalformed { get; } = new(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.");
    public static S3Error AuthorizationQueryParametersError { get; } = new(400, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter.");
    public static S3Error AccessForbiddenCors { get; } = new(403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.");
    public static S3Error BadRequestNoOrigin { get; } = new(400, "BadRequest", "Insufficient information. Origin request header needed.");
    public static S3Error BadDigest { get; } = new(400, "BadDigest", "The Content-MD5 or checksum you specified did not match what we received.");
    public static S3Error BucketAlreadyExists { get; } = new(409, "BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.");
    public static S3Error BucketAlreadyOwnedByYou { get; } = new(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");
    public static S3Error BucketNotEmpty { get; } = new(409, "BucketNotEmpty", "The bucket you tried to delete is not empty.");
    public static S3Error EntityTooLarge { get; } = new(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
    public static S3Error EntityTooSmall { get; } = new(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
    public static S3Error ExpiredToken { get; } = new(400, "ExpiredToken", "The provided token has expired.");
    public static S3Error IncompleteBody { get; } = new(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
    public static S3Error InternalError { get; } = new(500, "InternalError", "We encountered an internal error. Please try again.");
    public static S3Error InvalidAccessKeyId { get; } = new(403, "InvalidAccessKeyId", "The AWS access key Id you provided does not exist in our records.");
    public static S3Error InvalidArgument { get; } = new(400, "InvalidArgument", "Invalid Argument");
    public static S3Error InvalidBucketName { get; } = new(400, "InvalidBucketName", "The specified bucket is not valid.");
    public static S3Error InvalidDigest { get; } = new(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
    public static S3Error InvalidPart { get; } = new(400, "InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
    public static S3Error InvalidPartNumber { get; } = new(416, "InvalidPartNumber", "The requested partnumber is not satisfiable");
    public static S3Error InvalidPartOrder { get; } = new(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
    public static S3Error InvalidURI { get; } = new(400, "InvalidURI", "Couldn't parse the specified URI.");
    public static S3Error InvalidRange { get; } = new(416, "InvalidRange", "The requested range is not satisfiable");
    public static S3Error InvalidRequest { get; } = new(400, "InvalidRequest", "Invalid Request");
    public static S3Error InvalidStorageClass { get; } = new(400, "InvalidStorageClass", "The storage class you specified is not valid.");
    public static S3Error KeyTooLongError { get; } = new(400, "KeyTooLongError", "Your key is too long.");
    public static S3Error MalformedXML { get; } = new(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
    public static S3Error MetadataTooLarge { get; } = new(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
    public static S3Error MethodNotAllowed { get; } = new(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    public static S3Error MissingContentLength { get; } = new(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
    public static S3Error MissingSecurityHeader { get; } = new(400, "MissingSecurityHeader", "Your request is missing a required header.");
    public static S3Error NoSuchBucket { get; } = new(404, "NoSuchBucket", "The specified bucket does not exist.");
    public static S3Error NoSuchKey { get; } = new(404, "NoSuchKey", "The specified key does not exist.");
    public static S3Error NoSuchUpload { get; } = new(404, "NoSuchUpload", "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.");
    public static S3Error NotImplemented { get; } = new(501, "NotImplemented", "A header or query you provided implies functionality that is not implemented.");
    public static S3Error PreconditionFailed { get; } = new(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
    public static S3Error RequestHeaderSectionTooLarge { get; } = new(400, "RequestHeaderSectionTooLarge", "Your request header section exceeds the maximum allowed size.");
    public static S3Error RequestTimeout { get; } = new(400, "RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.");
    public static S3Error RequestTimeTooSkewed { get; } = new(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
    public static S3Error SignatureDoesNotMatch { get; } = new(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    public static S3Error SlowDown { get; } = new(503, "SlowDown", "Please reduce your request rate.");
    public static S3Error ServiceUnavailable { get; } = new(503, "ServiceUnavailable", "Service is unable to handle request.");
    public static S3Error XAmzContentSHA256Mismatch { get; } = new(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    public static S3Error InvalidChunkSizeError { get; } = new(400, "InvalidChunkSizeError", "Only the last chunk is allowed to have a size less than 8192 bytes");
    public static S3Error UnexpectedContent { get; } = new(400, "UnexpectedContent", "This request does not support content");
    public static S3Error MalformedTrailerError { get; } = new(400, "MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.");
    public static S3Error InvalidContinuationToken { get; } = new(400, "InvalidArgument", "The continuation token provided is incorrect");
    public static S3Error InvalidMaxKeys { get; } = new(400, "InvalidArgument", "Provided max-keys not an integer or within integer range");
    public static S3Error InvalidVersionIdMarker { get; } = new(400, "InvalidArgument", "Invalid version id specified");
    public static S3Error VersionIdMarkerWithoutKeyMarker { get; } = new(400, "InvalidArgument", "A version-id marker cannot be specified without a key marker.");
    public static S3Error InvalidEncodingType { get; } = new(400, "InvalidArgument", "Invalid Encoding Method specified in Request");
    public static S3Error NotModified { get; } = new(304, "NotModified", "Not Modified");
}
