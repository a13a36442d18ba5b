using Microsoft.AspNetCore.Http;
using R2Meta.S3.Pipeline;

namespace R2Meta.Unit.Tests.Pipeline;

/// <summary>The request deadline counts time without progress: body bytes restart it, nothing else does.</summary>
public sealed class RequestDeadlineTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Token_NoProgress_CancelledAfterLimitAndExpired()
    {
        var http = new DefaultHttpContext();
        using var deadline = RequestDeadline.Start(http, Limit);

        await Task.Delay(Limit * 3);

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.True(deadline.Expired);
    }

    [Fact]
    public async Task Token_BodyKeepsArriving_NotCancelledPastTheLimit()
    {
        // Generous margins: a read every 0.5 s against a 2 s limit, 3 s in all, on a machine other tests load too.
        var limit = TimeSpan.FromSeconds(2);
        var http = new DefaultHttpContext();
        http.Request.Body = new MemoryStream(new byte[20]);
        using var deadline = RequestDeadline.Start(http, limit);

        var buffer = new byte[1];
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(limit / 4);
            Assert.Equal(1, await http.Request.Body.ReadAsync(buffer));
        }

        Assert.False(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Expired_ClientAborted_IsFalse()
    {
        using var aborted = new CancellationTokenSource();
        var http = new DefaultHttpContext { RequestAborted = aborted.Token };
        using var deadline = RequestDeadline.Start(http, Limit);

        await aborted.CancelAsync();

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
    }

    [Fact]
    public async Task Token_ZeroLimit_OnlyFollowsTheClient()
    {
        var http = new DefaultHttpContext();
        using var deadline = RequestDeadline.Start(http, TimeSpan.Zero);

        await Task.Delay(Limit);

        Assert.False(deadline.Token.IsCancellationRequested);
    }
}
