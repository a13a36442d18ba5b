using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.Domain.Accounts;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.S3.Handlers;

namespace R2Meta.EndToEnd.Tests.Access;

/// <summary>
/// Every operation of the table under every kind of key R2 issues: admin read/write and admin read (account-wide),
/// object read/write and object read (account-wide, limited to the bucket used, limited to another bucket).
/// Allowed: the call succeeds. Not allowed: 403 AccessDenied and the buckets, objects, uploads, parts and bucket
/// settings read back exactly as before. The cases are keyed by operation name and the table is iterated, so an
/// operation added without a case fails here.
/// </summary>
public abstract class AccessMatrixTests : IAsyncLifetime
{
    private const string ObjectKey = "obj";
    private const string UploadKey = "mpu";

    private static readonly Grant[] Grants =
    [
        new("admin-read-write", PermissionLevel.AdminReadWrite, Scope.Account),
        new("admin-read", PermissionLevel.AdminRead, Scope.Account),
        new("object-read-write", PermissionLevel.ObjectReadWrite, Scope.Account),
        new("object-read-write on the bucket", PermissionLevel.ObjectReadWrite, Scope.InScope),
        new("object-read-write on another bucket", PermissionLevel.ObjectReadWrite, Scope.OutOfScope),
        new("object-read", PermissionLevel.ObjectRead, Scope.Account),
        new("object-read on the bucket", PermissionLevel.ObjectRead, Scope.InScope),
        new("object-read on another bucket", PermissionLevel.ObjectRead, Scope.OutOfScope),
    ];

    /// <summary>The test's own statement of what each operation needs (R2's token rules) and a call of it.</summary>
    private static readonly Dictionary<string, (OperationAccess Need, Func<IAmazonS3, Fixture, Task> Call)> Cases = new()
    {
        ["ListBuckets"] = (OperationAccess.AdminRead, static (s3, _) => s3.ListBucketsAsync()),
        ["GetBucketLocation"] = (OperationAccess.ObjectRead, static (s3, f) => s3.GetBucketLocationAsync(f.Bucket)),
        ["GetBucketEncryption"] = (OperationAccess.AdminRead, static (s3, f) => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = f.Bucket })),
        ["PutBucketEncryption"] = (OperationAccess.AdminWrite, static (s3, f) => s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = f.Bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256 },
                        BucketKeyEnabled = true,
                    },
                ],
            },
        })),
        ["DeleteBucketEncryption"] = (OperationAccess.AdminWrite, static (s3, f) => s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = f.Bucket })),
        ["GetBucketOwnershipControls"] = (OperationAccess.AdminRead, static (s3, f) => s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = f.Bucket })),
        ["PutBucketOwnershipControls"] = (OperationAccess.AdminWrite, static (s3, f) => s3.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = f.Bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.BucketOwnerEnforced }] },
        })),
        ["DeleteBucketOwnershipControls"] = (OperationAccess.AdminWrite, static (s3, f) => s3.DeleteBucketOwnershipControlsAsync(new DeleteBucketOwnershipControlsRequest { BucketName = f.Bucket })),
        ["GetBucketCors"] = (OperationAccess.AdminRead, static (s3, f) => s3.GetCORSConfigurationAsync(f.Bucket)),
        ["PutBucketCors"] = (OperationAccess.AdminWrite, static (s3, f) => s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = f.Bucket,
            Configuration = new CORSConfiguration { Rules = [new CORSRule { AllowedMethods = ["PUT"], AllowedOrigins = ["https://changed.example"] }] },
        })),
        ["DeleteBucketCors"] = (OperationAccess.AdminWrite, static (s3, f) => s3.DeleteCORSConfigurationAsync(f.Bucket)),
        ["GetBucketLifecycleConfiguration"] = (OperationAccess.AdminRead, static (s3, f) => s3.GetLifecycleConfigurationAsync(f.Bucket)),
        ["PutBucketLifecycleConfiguration"] = (OperationAccess.AdminWrite, static (s3, f) => s3.PutLifecycleConfigurationAsync(f.Bucket, Lifecycle("changed"))),
        ["DeleteBucketLifecycle"] = (OperationAccess.AdminWrite, static (s3, f) => s3.DeleteLifecycleConfigurationAsync(f.Bucket)),
        ["GetBucketAcl"] = (OperationAccess.AdminRead, static (s3, f) => s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = f.Bucket })),
        ["PutBucketAcl"] = (OperationAccess.AdminWrite, static (s3, f) => s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = f.Bucket, ACL = S3CannedACL.PublicRead })),
        ["GetBucketVersioning"] = (OperationAccess.AdminRead, static (s3, f) => s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = f.Bucket })),
        ["PutBucketVersioning"] = (OperationAccess.AdminWrite, static (s3, f) => s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = f.Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        })),
        ["GetBucketNotificationConfiguration"] = (OperationAccess.AdminRead, static (s3, f) => s3.GetBucketNotificationAsync(new GetBucketNotificationRequest { BucketName = f.Bucket })),
        // An empty configuration: it needs no queue to exist, and changes the bucket as any configuration does.
        ["PutBucketNotificationConfiguration"] = (OperationAccess.AdminWrite, static (s3, f) => s3.PutBucketNotificationAsync(new PutBucketNotificationRequest { BucketName = f.Bucket })),
        ["GetBucketTagging"] = (OperationAccess.AdminRead, static (s3, f) => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = f.Bucket })),
        ["PutBucketTagging"] = (OperationAccess.AdminWrite, static (s3, f) => s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = f.Bucket, TagSet = [new Tag { Key = "team", Value = "changed" }] })),
        ["DeleteBucketTagging"] = (OperationAccess.AdminWrite, static (s3, f) => s3.DeleteBucketTaggingAsync(new DeleteBucketTaggingRequest { BucketName = f.Bucket })),
        ["GetObjectTagging"] = (OperationAccess.ObjectRead, static (s3, f) => s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = f.Bucket, Key = ObjectKey })),
        ["PutObjectTagging"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = f.Bucket, Key = ObjectKey, Tagging = new Tagging { TagSet = [new Tag { Key = "kind", Value = "changed" }] },
        })),
        ["DeleteObjectTagging"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = f.Bucket, Key = ObjectKey })),
        ["GetObjectAcl"] = (OperationAccess.ObjectRead, static (s3, f) => s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = f.Bucket, Key = ObjectKey })),
        ["PutObjectAcl"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = f.Bucket, Key = ObjectKey, ACL = S3CannedACL.Private })),
        ["GetObjectAttributes"] = (OperationAccess.ObjectRead, static (s3, f) => s3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = f.Bucket, Key = ObjectKey, ObjectAttributes = [ObjectAttributes.ETag],
        })),
        ["PostObject"] = (OperationAccess.ObjectWrite, static async (s3, f) =>
        {
            // A form signed by the key under test (its policy names the key's id), posted as a browser would.
            var presigned = await s3.CreatePresignedPostAsync(new CreatePresignedPostRequest { BucketName = f.Bucket, Key = "posted", Expires = DateTime.UtcNow.AddMinutes(10) });
            using var response = await PostForms.PostAsync(new Uri(presigned.Url), presigned.Fields, new MemoryStream("posted"u8.ToArray()), "posted.txt");
            if (!response.IsSuccessStatusCode)
            {
                throw new AmazonS3Exception("PostObject answered " + (int)response.StatusCode) { StatusCode = response.StatusCode, ErrorCode = await RawRequests.ErrorCodeAsync(response) };
            }
        }),
        ["ListMultipartUploads"] = (OperationAccess.ObjectRead, static (s3, f) => s3.ListMultipartUploadsAsync(f.Bucket)),
        ["ListObjectVersions"] = (OperationAccess.ObjectRead, static (s3, f) => s3.ListVersionsAsync(f.Bucket)),
        ["ListObjectsV2"] = (OperationAccess.ObjectRead, static (s3, f) => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = f.Bucket })),
        ["ListObjects"] = (OperationAccess.ObjectRead, static (s3, f) => s3.ListObjectsAsync(f.Bucket)),
        ["CreateBucket"] = (OperationAccess.AdminWrite, static (s3, f) => s3.PutBucketAsync(f.NewBucket)),
        ["HeadBucket"] = (OperationAccess.ObjectRead, static (s3, f) => s3.HeadBucketAsync(new HeadBucketRequest { BucketName = f.Bucket })),
        ["DeleteBucket"] = (OperationAccess.AdminWrite, static (s3, f) => s3.DeleteBucketAsync(f.EmptyBucket)),
        ["DeleteObjects"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = f.Bucket, Objects = [new KeyVersion { Key = ObjectKey }] })),
        ["UploadPartCopy"] = (OperationAccess.ObjectCopy, static (s3, f) => s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = f.Bucket, SourceKey = ObjectKey, DestinationBucket = f.Bucket, DestinationKey = UploadKey, UploadId = f.UploadId, PartNumber = 2,
        })),
        ["UploadPart"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = f.Bucket, Key = UploadKey, UploadId = f.UploadId, PartNumber = 2, InputStream = new MemoryStream(Encoding.ASCII.GetBytes("part two")),
        })),
        ["CopyObject"] = (OperationAccess.ObjectCopy, static (s3, f) => s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = f.Bucket, SourceKey = ObjectKey, DestinationBucket = f.Bucket, DestinationKey = "copy",
        })),
        ["PutObject"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.PutObjectAsync(new PutObjectRequest { BucketName = f.Bucket, Key = "new", ContentBody = "new" })),
        ["ListParts"] = (OperationAccess.ObjectRead, static (s3, f) => s3.ListPartsAsync(f.Bucket, UploadKey, f.UploadId)),
        ["GetObject"] = (OperationAccess.ObjectRead, static async (s3, f) =>
        {
            using var response = await s3.GetObjectAsync(f.Bucket, ObjectKey);
            await response.ResponseStream.CopyToAsync(Stream.Null);
        }),
        ["HeadObject"] = (OperationAccess.ObjectRead, static (s3, f) => s3.GetObjectMetadataAsync(f.Bucket, ObjectKey)),
        ["CreateMultipartUpload"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.InitiateMultipartUploadAsync(f.Bucket, "mpu2")),
        ["CompleteMultipartUpload"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = f.Bucket, Key = UploadKey, UploadId = f.UploadId, PartETags = [new PartETag(1, f.Part1ETag)],
        })),
        ["AbortMultipartUpload"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.AbortMultipartUploadAsync(f.Bucket, UploadKey, f.UploadId)),
        ["DeleteObject"] = (OperationAccess.ObjectWrite, static (s3, f) => s3.DeleteObjectAsync(f.Bucket, ObjectKey)),
    };

    private readonly KeysHost _host;
    private readonly AmazonS3Client _admin;

    protected AccessMatrixTests(KeysHost host)
    {
        _host = host;
        _admin = S3Clients.PathStyle(host);
    }

    private enum Scope
    {
        Account,
        InScope,
        OutOfScope,
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _admin.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void OperationTable_EveryRow_HasACaseThatAgreesOnItsAccess()
    {
        var rows = S3Operations.All.Select(h => h.Operation).ToList();
        Assert.Empty(rows.Where(o => !Cases.ContainsKey(o.Name)).Select(o => o.Name));
        Assert.Empty(rows.Where(o => Cases[o.Name].Need != o.Access).Select(o => $"{o.Name}: table {o.Access}, R2 {Cases[o.Name].Need}"));
        Assert.Empty(Cases.Keys.Except(rows.Select(o => o.Name)));
    }

    [Fact]
    public async Task EveryOperation_EveryGrant_AllowedSucceeds_DeniedIsAccessDeniedAndChangesNothing()
    {
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var grant in Grants)
        {
            Fixture? fixture = null;
            AmazonS3Client? client = null;
            string? snapshot = null;
            try
            {
                foreach (var operation in S3Operations.All.Select(h => h.Operation))
                {
                    var (need, call) = Cases[operation.Name];
                    if (fixture is null)
                    {
                        fixture = await SeedAsync();
                        var key = await _host.CreateKeyAsync(grant.Level, grant.Scope switch
                        {
                            Scope.InScope => [fixture.Bucket, fixture.EmptyBucket],
                            Scope.OutOfScope => [Names.Bucket("other")],
                            _ => [],
                        });
                        client?.Dispose();
                        client = S3Clients.PathStyle(_host, key.Id, key.Secret);
                        snapshot = null;
                    }

                    var before = snapshot ?? await SnapshotAsync(fixture);
                    AmazonServiceException? error = null;
                    try
                    {
                        await call(client!, fixture);
                    }
                    catch (AmazonServiceException e)
                    {
                        error = e;
                    }

                    checkedCount++;
                    var what = $"{grant.Name} / {operation.Name}";
                    if (Allowed(grant, need))
                    {
                        if (error is not null)
                        {
                            failures.Add($"{what}: allowed, but {(int)error.StatusCode} {error.ErrorCode}");
                        }

                        // The call may have changed the fixture: the next operation gets a fresh one.
                        fixture = null;
                        continue;
                    }

                    if (error is null || error.StatusCode != HttpStatusCode.Forbidden || (operation.Method != "HEAD" && error.ErrorCode != "AccessDenied"))
                    {
                        failures.Add($"{what}: not allowed, but {(error is null ? "it succeeded" : $"{(int)error.StatusCode} {error.ErrorCode}")}");
                    }

                    snapshot = await SnapshotAsync(fixture);
                    if (snapshot != before)
                    {
                        failures.Add($"{what}: refused, yet the store changed:\n  before {before}\n  after  {snapshot}");
                        fixture = null;
                    }
                }
            }
            finally
            {
                client?.Dispose();
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures over {checkedCount} checks:\n{string.Join('\n', failures)}");
        Assert.Equal(Grants.Length * S3Operations.All.Count, checkedCount);
    }

    /// <summary>R2's rules, stated independently of the code under test.</summary>
    private static bool Allowed(Grant grant, OperationAccess need)
    {
        var admin = grant.Level is PermissionLevel.AdminReadWrite or PermissionLevel.AdminRead;
        var writes = grant.Level is PermissionLevel.AdminReadWrite or PermissionLevel.ObjectReadWrite;
        var reachesBucket = grant.Scope != Scope.OutOfScope;
        return need switch
        {
            OperationAccess.AdminWrite => grant.Level == PermissionLevel.AdminReadWrite,
            OperationAccess.AdminRead => admin,
            OperationAccess.ObjectRead => reachesBucket,
            OperationAccess.ObjectWrite or OperationAccess.ObjectCopy => writes && reachesBucket,
            _ => throw new ArgumentOutOfRangeException(nameof(need), need, null),
        };
    }

    /// <summary>A bucket with an object and a multipart upload holding part 1, and an empty bucket beside it (admin key).</summary>
    private async Task<Fixture> SeedAsync()
    {
        var bucket = Names.Bucket("acc");
        await _admin.PutBucketAsync(bucket);
        await _admin.PutBucketAsync(bucket + "-e");
        await _admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = ObjectKey, ContentBody = "original", TagSet = [new Tag { Key = "kind", Value = "seed" }] });
        await _admin.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = bucket, TagSet = [new Tag { Key = "team", Value = "seed" }] });
        var upload = await _admin.InitiateMultipartUploadAsync(bucket, UploadKey);
        var part = await _admin.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = UploadKey, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(Encoding.ASCII.GetBytes("part one")),
        });
        await _admin.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration { Rules = [new CORSRule { AllowedMethods = ["GET"], AllowedOrigins = ["https://seed.example"] }] },
        });
        await _admin.PutLifecycleConfigurationAsync(bucket, Lifecycle("seed"));
        return new Fixture(bucket, upload.UploadId, part.ETag);
    }

    private static LifecycleConfiguration Lifecycle(string id) => new()
    {
        Rules = [new LifecycleRule { Id = id, Filter = new LifecycleFilter { Prefix = id + "/" }, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Days = 30 } }],
    };

    /// <summary>Everything an operation could change, read with the admin key.</summary>
    private async Task<string> SnapshotAsync(Fixture fixture)
    {
        var text = new StringBuilder();
        var buckets = await _admin.ListBucketsAsync();
        text.Append("buckets=").AppendJoin(',', (buckets.Buckets ?? []).Select(b => b.BucketName).Where(n => n.StartsWith(fixture.Bucket, StringComparison.Ordinal)));
        var objects = await _admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = fixture.Bucket });
        text.Append(" objects=").AppendJoin(',', (objects.S3Objects ?? []).Select(o => $"{o.Key}:{o.ETag}"));
        var uploads = await _admin.ListMultipartUploadsAsync(fixture.Bucket);
        text.Append(" uploads=").AppendJoin(',', (uploads.MultipartUploads ?? []).Select(u => $"{u.Key}:{u.UploadId}"));
        try
        {
            var parts = await _admin.ListPartsAsync(fixture.Bucket, UploadKey, fixture.UploadId);
            text.Append(" parts=").AppendJoin(',', (parts.Parts ?? []).Select(p => $"{p.PartNumber}:{p.ETag}"));
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
        {
            text.Append(" parts=none");
        }

        var encryption = await _admin.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = fixture.Bucket });
        var rule = encryption.ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0];
        text.Append(" encryption=").Append(rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm).Append(':').Append(rule.BucketKeyEnabled);
        var cors = await _admin.GetCORSConfigurationAsync(fixture.Bucket);
        text.Append(" cors=").AppendJoin(',', (cors.Configuration?.Rules ?? []).SelectMany(r => r.AllowedOrigins ?? []));
        try
        {
            var lifecycle = await _admin.GetLifecycleConfigurationAsync(fixture.Bucket);
            text.Append(" lifecycle=").AppendJoin(',', (lifecycle.Configuration?.Rules ?? []).Select(r => r.Id));
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchLifecycleConfiguration")
        {
            text.Append(" lifecycle=none");
        }

        var acl = await _admin.GetBucketAclAsync(new GetBucketAclRequest { BucketName = fixture.Bucket });
        text.Append(" grants=").Append(acl.Grants?.Count ?? 0);
        text.Append(" bucket-tags=").AppendJoin(',', await BucketTagsAsync(fixture.Bucket));
        var versioning = await _admin.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = fixture.Bucket });
        text.Append(" versioning=").Append(versioning.VersioningConfig?.Status?.Value);
        var versions = await _admin.ListVersionsAsync(new ListVersionsRequest { BucketName = fixture.Bucket });
        text.Append(" versions=").AppendJoin(',', (versions.Versions ?? []).Select(v => $"{v.Key}:{v.VersionId}:{v.IsDeleteMarker}"));
        try
        {
            var objectTags = await _admin.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = fixture.Bucket, Key = ObjectKey });
            text.Append(" object-tags=").AppendJoin(',', (objectTags.Tagging ?? []).Select(t => $"{t.Key}={t.Value}"));
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            text.Append(" object-tags=no object");
        }

        return text.ToString();
    }

    private async Task<IEnumerable<string>> BucketTagsAsync(string bucket)
    {
        try
        {
            var tags = await _admin.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket });
            return (tags.TagSet ?? []).Select(t => $"{t.Key}={t.Value}");
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchTagSet")
        {
            return ["none"];
        }
    }

    private sealed record Grant(string Name, PermissionLevel Level, Scope Scope);

    private sealed record Fixture(string Bucket, string UploadId, string Part1ETag)
    {
        public string EmptyBucket => Bucket + "-e";

        public string NewBucket => Bucket + "-n";
    }
}

public sealed class TablesAccessMatrixTests(TablesKeysHost host) : AccessMatrixTests(host), IClassFixture<TablesKeysHost>;

public sealed class CosmosAccessMatrixTests(CosmosKeysHost host) : AccessMatrixTests(host), IClassFixture<CosmosKeysHost>;
