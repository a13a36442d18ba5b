using System.Buffers;

namespace R2Meta.Storage.Tables.Wire;

/// <summary>
/// A response body in an array rented from <see cref="ArrayPool{T}.Shared"/> (see <see cref="PooledBodyPolicy"/>),
/// readable in place like the pipeline's buffered bodies; disposing it returns the array, once.
/// </summary>
internal sealed class PooledContent : MemoryStream
{
    private byte[]? _rented;

    public PooledContent(byte[] rented, int length)
        : base(rented, 0, length, writable: false, publiclyVisible: true) => _rented = rented;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (Interlocked.Exchange(ref _rented, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
