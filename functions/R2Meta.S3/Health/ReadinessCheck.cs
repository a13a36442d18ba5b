using R2Meta.Domain.Storage;

namespace R2Meta.S3.Health;

/// <summary>A store the readiness endpoint probes, under the name its answer reports (e.g. "metadata", "blobs").</summary>
public sealed record ReadinessCheck(string Name, IStoreProbe Probe);
