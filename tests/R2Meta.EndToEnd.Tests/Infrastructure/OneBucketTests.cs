using Amazon.S3;

namespace R2Meta.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The shape most end-to-end test classes share: an AWSSDK.S3 client (path style, the host's first account) and
/// one bucket of their own, created before each test and named by <c>prefix</c>.
/// </summary>
public abstract class OneBucketTests<THost> : IAsyncLifetime
    where THost : R2MetaHost
{
    protected OneBucketTests(THost host, string prefix)
    {
        Host = host;
        S3 = S3Clients.PathStyle(host);
        Bucket = Names.Bucket(prefix);
    }

    protected THost Host { get; }

    protected AmazonS3Client S3 { get; }

    protected string Bucket { get; }

    public Task InitializeAsync() => S3.PutBucketAsync(Bucket);

    public Task DisposeAsync()
    {
        S3.Dispose();
        return Task.CompletedTask;
    }
}

/// <inheritdoc cref="OneBucketTests{THost}"/>
public abstract class OneBucketTests(R2MetaHost host, string prefix) : OneBucketTests<R2MetaHost>(host, prefix);
