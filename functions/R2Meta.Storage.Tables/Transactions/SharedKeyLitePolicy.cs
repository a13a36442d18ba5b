using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace R2Meta.Storage.Tables.Transactions;

/// <summary>
/// Table service Shared Key Lite authorization, as Azure.Data.Tables signs: on every attempt a fresh
/// <c>x-ms-date</c> and <c>Authorization: SharedKeyLite account:base64(HMAC-SHA256(key, date + "\n" + resource))</c>,
/// where resource is <c>/account</c> followed by the request's path. Only used for the $batch path, whose
/// canonical resource is fixed and computed once.
/// </summary>
internal sealed class SharedKeyLitePolicy : HttpPipelineSynchronousPolicy
{
    private readonly string _accountName;
    private readonly byte[] _key;
    private readonly byte[] _resource;

    /// <param name="canonicalizedResource">e.g. <c>/devstoreaccount1/devstoreaccount1/$batch</c> (Azurite) or <c>/account/$batch</c>.</param>
    public SharedKeyLitePolicy(string accountName, byte[] key, string canonicalizedResource)
    {
        _accountName = accountName;
        _key = key;
        _resource = Encoding.UTF8.GetBytes("\n" + canonicalizedResource);
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        message.Request.Headers.SetValue("x-ms-date", date);
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "SharedKeyLite " + _accountName + ":" + Sign(date));
    }

    internal string Sign(string date)
    {
        Span<byte> toSign = stackalloc byte[64 + _resource.Length];
        var length = Encoding.ASCII.GetBytes(date, toSign);
        _resource.CopyTo(toSign[length..]);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, toSign[..(length + _resource.Length)], hash);
        return Convert.ToBase64String(hash);
    }
}
