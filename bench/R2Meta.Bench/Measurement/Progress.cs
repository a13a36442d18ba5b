namespace R2Meta.Bench.Measurement;

/// <summary>
/// A status line redrawn in place (carriage return) on stderr twice a second, erased when disposed.
/// Silent when stderr is not a terminal, so logs and CI output stay free of redraws.
/// </summary>
public sealed class Progress : IDisposable
{
    private readonly Func<string> _render;
    private readonly Timer? _timer;
    private readonly Lock _gate = new();
    private int _width;
    private bool _disposed;

    private Progress(Func<string> render, bool enabled)
    {
        _render = render;
        if (enabled)
        {
            _timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        }
    }

    public static Progress Start(Func<string> render) => new(render, !Console.IsErrorRedirected);

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            _disposed = true;
            if (_width > 0)
            {
                Console.Error.Write("\r" + new string(' ', _width) + "\r");
            }
        }
    }

    private void Draw()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var text = _render();
            var padded = text.Length < _width ? text.PadRight(_width) : text;
            _width = Math.Max(_width, text.Length);
            Console.Error.Write("\r" + padded);
        }
    }
}
