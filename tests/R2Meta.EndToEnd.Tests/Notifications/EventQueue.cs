using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Notifications;

/// <summary>A fresh Azure Storage queue on the emulator script/test started (Azurite's queue service), deleted after the test.</summary>
public sealed class EventQueue : IAsyncDisposable
{
    private readonly QueueClient _queue;

    private EventQueue(QueueClient queue) => _queue = queue;

    public string Name => _queue.Name;

    /// <summary>The ARN a QueueConfiguration names this queue by (any region and account map to the one queue account).</summary>
    public string Arn => $"arn:aws:sqs:us-east-1:123456789012:{Name}";

    public static async Task<EventQueue> CreateAsync()
    {
        var queue = new QueueClient(Emulators.StorageConnection, "events-" + Guid.NewGuid().ToString("N")[..20]);
        await queue.CreateAsync();
        return new EventQueue(queue);
    }

    /// <summary>
    /// Receives until <paramref name="count"/> messages arrived or <paramref name="timeout"/> passed; each is the S3 event
    /// record (Records[0]) of a base64 JSON message.
    /// </summary>
    public async Task<List<JsonElement>> ReceiveAsync(int count, TimeSpan? timeout = null)
    {
        var records = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            var messages = (await _queue.ReceiveMessagesAsync(maxMessages: 32)).Value;
            if (messages.Length == 0)
            {
                await Task.Delay(100);
                continue;
            }

            foreach (var message in messages)
            {
                var json = Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText));
                using var document = JsonDocument.Parse(json);
                records.Add(document.RootElement.GetProperty("Records")[0].Clone());
                await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return records;
    }

    public async ValueTask DisposeAsync() => await _queue.DeleteIfExistsAsync();
}
