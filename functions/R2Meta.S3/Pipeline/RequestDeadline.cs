using Microsoft.AspNetCore.Http;

namespace R2Meta.S3.Pipeline;

/// <summary>
/// How long a request may wait for its answer (<see cref="S3Options.RequestTimeout"/>), so a slow or dead
/// store cannot hold it for longer whatever the store calls' own budgets add up to. The clock restarts
/// whenever a piece of the request body arrives, since an upload takes as long as the client sends, and
/// stops when the response starts, since a download takes as long as the client reads. <see cref="Token"/>
/// is cancelled when the client goes away or the deadline passes; <see cref="Expired"/> tells which.
/// </summary>
internal sealed class RequestDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _clientAborted;
    private readonly TimeSpan _limit;
    private volatile bool _running;

    private RequestDeadline(HttpContext http, TimeSpan limit)
    {
        _clientAborted = http.RequestAborted;
        _source = CancellationTokenSource.CreateLinkedTokenSource(_clientAborted);
        _limit = limit;
        if (limit <= TimeSpan.Zero)
        {
            return;
        }

        _running = true;
        _source.CancelAfter(limit);
        http.Request.Body = new ProgressStream(http.Request.Body, this);
        http.Response.OnStarting(static state =>
        {
            ((RequestDeadline)state).Stop();
            return Task.CompletedTask;
        }, this);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The deadline passed (and the client is still there).</summary>
    public bool Expired => _source.IsCancellationRequested && !_clientAborted.IsCancellationRequested;

    /// <summary>Starts the clock; a <paramref name="limit"/> of zero or less means no deadline (the token then only follows the client).</summary>
    public static RequestDeadline Start(HttpContext http, TimeSpan limit) => new(http, limit);

    public void Dispose()
    {
        _running = false;
        _source.Dispose();
    }

    private void Restart()
    {
        if (_running && !_source.IsCancellationRequested)
        {
            _source.CancelAfter(_limit);
        }
    }

    private void Stop()
    {
        if (_running)
        {
            _running = false;
            _source.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The request body, restarting the clock on every read that delivers bytes.</summary>
    private sealed class ProgressStream(Stream inner, RequestDeadline deadline) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Progress(inner.Read(buffer, offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Progress(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Progress(int read)
        {
            if (read > 0)
            {
                deadline.Restart();
            }

            return read;
        }
    }
}
