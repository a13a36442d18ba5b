using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Buckets;

/// <summary>
/// The two ACLs there are: private (the owner's FULL_CONTROL) and a bucket's public-read (plus AllUsers READ).
/// Everything else answers 501 rather than being stored and ignored.
/// </summary>
public abstract class AclTests : IAsyncLifetime
{
    private const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    private readonly R2MetaHost _host;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = Names.Bucket("acl");

    protected AclTests(R2MetaHost host)
    {
        _host = host;
        _s3 = S3Clients.PathStyle(host);
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "k", ContentBody = "v" });
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GetBucketAcl_NewBucket_OwnerFullControlOnly()
    {
        var acl = await _s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = _bucket });
        var grant = Assert.Single(acl.Grants);
        Assert.Equal(TestAccounts.FirstCanonicalId, acl.Owner.Id);
        Assert.Equal(TestAccounts.FirstCanonicalId, grant.Grantee.CanonicalUser);
        Assert.Equal(S3Permission.FULL_CONTROL, grant.Permission);
    }

    [Fact]
    public async Task PutBucketAcl_PublicReadThenPrivate_GrantsFollow()
    {
        await _s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = _bucket, ACL = S3CannedACL.PublicRead });
        var bucketAcl = await _s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = _bucket });
        var objectAcl = await _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = _bucket, Key = "k" });

        foreach (var acl in new[] { bucketAcl.Grants, objectAcl.Grants })
        {
            Assert.Equal(2, acl.Count);
            Assert.Contains(acl, g => g.Grantee.URI == AllUsers && g.Permission == S3Permission.READ);
            Assert.Contains(acl, g => g.Grantee.CanonicalUser == TestAccounts.FirstCanonicalId && g.Permission == S3Permission.FULL_CONTROL);
        }

        await _s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = _bucket, ACL = S3CannedACL.Private });
        Assert.Single((await _s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = _bucket })).Grants);
    }

    [Fact]
    public async Task PutBucketAcl_PolicyBody_PublicReadGrantAccepted()
    {
        var owner = new Owner { Id = TestAccounts.FirstCanonicalId };
        var policy = new S3AccessControlList
        {
            Owner = owner,
            Grants =
            [
                new S3Grant { Grantee = new S3Grantee { CanonicalUser = TestAccounts.FirstCanonicalId }, Permission = S3Permission.FULL_CONTROL },
                new S3Grant { Grantee = new S3Grantee { URI = AllUsers }, Permission = S3Permission.READ },
            ],
        };
        await _s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = _bucket, AccessControlPolicy = policy });

        Assert.Equal(2, (await _s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = _bucket })).Grants.Count);
    }

    [Fact]
    public async Task PutBucketAcl_OtherCannedAclOrGrant_NotImplementedAndUnchanged()
    {
        var canned = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = _bucket, ACL = S3CannedACL.PublicReadWrite }));
        var policy = new S3AccessControlList
        {
            Owner = new Owner { Id = TestAccounts.FirstCanonicalId },
            Grants = [new S3Grant { Grantee = new S3Grantee { URI = AllUsers }, Permission = S3Permission.WRITE }],
        };
        var body = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = _bucket, AccessControlPolicy = policy }));
        var header = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, $"/{_bucket}?acl", headers: new Dictionary<string, string> { ["x-amz-grant-read"] = $"uri=\"{AllUsers}\"" });

        Assert.All(new[] { canned, body }, e => Assert.Equal((HttpStatusCode.NotImplemented, "NotImplemented"), (e.StatusCode, e.ErrorCode)));
        Assert.Equal(HttpStatusCode.NotImplemented, header.StatusCode);
        Assert.Single((await _s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = _bucket })).Grants);
    }

    [Fact]
    public async Task PutObjectAcl_PrivateAccepted_PublicReadNotImplemented()
    {
        var ok = await _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = _bucket, Key = "k", ACL = S3CannedACL.Private });
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = _bucket, Key = "k", ACL = S3CannedACL.PublicRead }));
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = _bucket, Key = "missing" }));

        Assert.Equal(HttpStatusCode.OK, ok.HttpStatusCode);
        Assert.Equal("NotImplemented", e.ErrorCode);
        Assert.Equal("NoSuchKey", missing.ErrorCode);
    }

    [Fact]
    public async Task PutObject_CannedAcl_PrivateAccepted_PublicReadNotImplementedAndNotWritten()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "private", ContentBody = "v", CannedACL = S3CannedACL.Private });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "owner", ContentBody = "v", CannedACL = S3CannedACL.BucketOwnerFullControl });
        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "public", ContentBody = "v", CannedACL = S3CannedACL.PublicRead }));
        var multipart = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = "public", CannedACL = S3CannedACL.PublicRead }));
        var copy = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = _bucket, SourceKey = "k", DestinationBucket = _bucket, DestinationKey = "public", CannedACL = S3CannedACL.PublicRead }));

        Assert.All(new[] { put, multipart, copy }, e => Assert.Equal((HttpStatusCode.NotImplemented, "NotImplemented"), (e.StatusCode, e.ErrorCode)));
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        Assert.Equal(["k", "owner", "private"], listed.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task CreateBucket_CannedAcls_PublicReadStoredOthersRefused()
    {
        var open = Names.Bucket("acl");
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = open, CannedACL = S3CannedACL.PublicRead });
        var refused = Names.Bucket("acl");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketAsync(new PutBucketRequest { BucketName = refused, CannedACL = S3CannedACL.AuthenticatedRead }));

        Assert.Equal(2, (await _s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = open })).Grants.Count);
        Assert.Equal("NotImplemented", e.ErrorCode);
    }

    [Fact]
    public async Task Acl_OtherAccountsBucket_AccessDenied()
    {
        using var other = S3Clients.PathStyle(_host, TestAccounts.SecondKey, TestAccounts.SecondSecret);
        var get = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetBucketAclAsync(new GetBucketAclRequest { BucketName = _bucket }));
        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.PutBucketAclAsync(new PutBucketAclRequest { BucketName = _bucket, ACL = S3CannedACL.PublicRead }));
        Assert.All(new[] { get, put }, e => Assert.Equal("AccessDenied", e.ErrorCode));
    }
}

public sealed class TablesAclTests(TablesHost host) : AclTests(host), IClassFixture<TablesHost>;

public sealed class CosmosAclTests(CosmosHost host) : AclTests(host), IClassFixture<CosmosHost>;
