using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace R2Meta.Storage.Tables.Wire;

/// <summary>
/// Table service Shared Key Lite authorization, as Azure.Data.Tables signs: on every attempt a fresh
/// <c>x-ms-date</c> and <c>Authorization: SharedKeyLite account:base64(HMAC-SHA256(key, date + "\n" + resource))</c>,
/// where resource is <c>/account</c> followed by the request's escaped path. The SDK would append <c>?comp=</c> and
/// its value when the query has one; no request sent through this policy (entity reads, $batch) does.
/// </summary>
internal sealed class SharedKeyLitePolicy : HttpPipelineSynchronousPolicy
{
    // Paths up to this many bytes are signed from the stack; longer ones (long escaped row keys) from a pooled array.
    private const int MaxStackBytes = 1024;

    private readonly string _accountName;
    private readonly byte[] _key;

    /// <summary><c>"\n/" + account</c>: what the date is followed by before the path.</summary>
    private readonly byte[] _accountResource;

    public SharedKeyLitePolicy(string accountName, byte[] key)
    {
        _accountName = accountName;
        _key = key;
        _accountResource = Encoding.UTF8.GetBytes("\n/" + accountName);
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        message.Request.Headers.SetValue("x-ms-date", date);
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "SharedKeyLite " + _accountName + ":" + Sign(date, message.Request.Uri.Path));
    }

    /// <param name="path">The request's path as sent (escaped), e.g. <c>/devstoreaccount1/$batch</c> on Azurite.</param>
    internal string Sign(string date, string path)
    {
        var length = date.Length + _accountResource.Length + Encoding.UTF8.GetMaxByteCount(path.Length);
        byte[]? rented = null;
        var toSign = length <= MaxStackBytes ? stackalloc byte[MaxStackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.ASCII.GetBytes(date, toSign);
            _accountResource.CopyTo(toSign[written..]);
            written += _accountResource.Length;
            written += Encoding.UTF8.GetBytes(path, toSign[written..]);
            Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_key, toSign[..written], hash);
            return Convert.ToBase64String(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
