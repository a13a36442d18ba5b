using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Storage;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Protocol;

/// <summary>
/// Server-side encryption as Azure gives it. Blob Storage encrypts every byte at rest with AES-256 under
/// Microsoft-managed keys, which is what S3 calls SSE-S3 (<c>AES256</c>) and what S3 applies to every object
/// since 2023: so every object is AES256, a request asking for it is satisfied, and the operations S3 answers
/// with <c>x-amz-server-side-encryption</c> answer <c>AES256</c> whatever the request said. SSE-KMS and SSE-C
/// would need keys this service does not manage: their headers answer 501 rather than be ignored.
/// </summary>
public static class ServerSideEncryption
{
    public const string Header = "x-amz-server-side-encryption";

    private const string CustomerKeyPrefix = "x-amz-server-side-encryption-customer-";
    private const string CopySourceCustomerKeyPrefix = "x-amz-copy-source-server-side-encryption-customer-";
    private static readonly string[] KmsAlgorithms = ["aws:kms", "aws:kms:dsse"];
    private static readonly string[] KmsHeaders = ["x-amz-server-side-encryption-aws-kms-key-id", "x-amz-server-side-encryption-context"];

    /// <summary>
    /// Checks the request's encryption headers for <paramref name="operation"/> (throws the S3 error) and, for an
    /// operation S3 answers with the object's encryption, sets it on <paramref name="response"/> (an error
    /// answer clears it again).
    /// </summary>
    public static void Apply(S3Operation operation, IHeaderDictionary request, IHeaderDictionary response)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        foreach (var name in request.Keys)
        {
            if (name.StartsWith(CustomerKeyPrefix, StringComparison.OrdinalIgnoreCase) || name.StartsWith(CopySourceCustomerKeyPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw NotImplemented("Server-side encryption with customer-provided keys (SSE-C) is not implemented.", name);
            }
        }

        var requested = request.TryGetValue(Header, out var value) ? value.ToString() : null;
        switch (operation.Name)
        {
            case "PutObject" or "PostObject" or "CopyObject" or "CreateMultipartUpload":
                if (KmsHeaders.FirstOrDefault(request.ContainsKey) is { } kmsHeader)
                {
                    throw NotImplemented("Server-side encryption with AWS KMS keys (SSE-KMS) is not implemented.", kmsHeader);
                }

                if (requested is not null)
                {
                    CheckAlgorithm(requested, Header, S3Errors.InvalidArgument);
                }

                break;
            case "GetObject" or "HeadObject" when requested is not null:
                // As S3: the encryption of an object is chosen when it is written, never by a read.
                throw S3Errors.InvalidArgument.With("x-amz-server-side-encryption header is not supported for this operation.")
                    .WithDetail("ArgumentName", Header).WithDetail("ArgumentValue", requested).ToException();
        }

        if (operation.Name is "PutObject" or "PostObject" or "CopyObject" or "GetObject" or "HeadObject"
            or "CreateMultipartUpload" or "UploadPart" or "UploadPartCopy" or "CompleteMultipartUpload")
        {
            response[Header] = BucketEncryption.Aes256;
        }
    }

    /// <summary>
    /// An SSE algorithm named in a header or a bucket configuration: AES256 passes, aws:kms and aws:kms:dsse
    /// are S3's but not implemented (501), anything else (or none) is <paramref name="invalid"/>.
    /// </summary>
    public static void CheckAlgorithm(string? algorithm, string argumentName, S3Error invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        if (algorithm == BucketEncryption.Aes256)
        {
            return;
        }

        if (KmsAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            throw NotImplemented("Server-side encryption with AWS KMS keys (SSE-KMS) is not implemented; AES256 is.", argumentName);
        }

        throw (invalid.Code == S3Errors.InvalidArgument.Code
            ? invalid.With("The encryption method specified is not supported").WithDetail("ArgumentName", argumentName).WithDetail("ArgumentValue", algorithm ?? string.Empty)
            : invalid).ToException();
    }

    private static S3Exception NotImplemented(string message, string header) =>
        S3Errors.NotImplemented.With(message).WithDetail("Header", header).ToException();
}
