namespace R2Meta.Domain.Storage;

/// <summary>
/// A bucket's versioning state (PutBucketVersioning). A bucket starts unversioned and, once versioning was
/// enabled, only moves between Enabled and Suspended. Persisted: explicit values, never renumbered.
/// </summary>
public enum BucketVersioning
{
    /// <summary>Never enabled: every object is the single "null" version, as before versioning existed.</summary>
    Unversioned = 0,
    /// <summary>Every write adds a version with a new id; a delete without a version id adds a delete marker.</summary>
    Enabled = 1,
    /// <summary>Writes and deletes replace the "null" version and keep every other version.</summary>
    Suspended = 2,
}
