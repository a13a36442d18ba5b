using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;

namespace R2Meta.Storage.Tables.Transactions;

/// <summary>
/// Writes a <see cref="TableEntity"/> as the JSON body of an insert or update, as Azure.Data.Tables writes it:
/// properties in the entity's order, each value followed by its <c>@odata.type</c> annotation where JSON alone
/// would lose the type (Int64 as a string, DateTime as a round-trip UTC string, Binary as base64, Guid, Double).
/// </summary>
internal static class EntityJson
{
    /// <summary>The SDK's format: UTC, seven fraction digits, a literal Z.</summary>
    private const string DateTimeFormat = "yyyy-MM-ddTHH:mm:ss.fffffffZ";
    private const int MaxStackName = 256;

    private static ReadOnlySpan<byte> TypeSuffix => "@odata.type"u8;

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in entity)
        {
            writer.WritePropertyName(name);
            if (WriteValue(writer, value) is { } edmType)
            {
                WriteTypeAnnotation(writer, name, edmType);
            }
        }

        writer.WriteEndObject();
    }

    /// <returns>The Edm type the value needs annotated, or null.</returns>
    private static string? WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return null;
            case string text:
                writer.WriteStringValue(text);
                return null;
            case int number:
                writer.WriteNumberValue(number);
                return null;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return null;
            case long number:
                Span<byte> digits = stackalloc byte[20];
                number.TryFormat(digits, out var length, provider: CultureInfo.InvariantCulture);
                writer.WriteStringValue(digits[..length]);
                return "Edm.Int64";
            case double number:
                if (double.IsFinite(number))
                {
                    writer.WriteNumberValue(number);
                }
                else
                {
                    writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                }

                return "Edm.Double";
            case DateTimeOffset time:
                WriteDateTime(writer, time.UtcDateTime);
                return "Edm.DateTime";
            case DateTime time:
                // As the SDK: a time of unknown offset is refused rather than guessed.
                WriteDateTime(writer, time.Kind == DateTimeKind.Utc ? time : throw new NotSupportedException($"DateTime {time} has a Kind of {time.Kind}; only UTC is written."));
                return "Edm.DateTime";
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                return "Edm.Binary";
            case Guid guid:
                writer.WriteStringValue(guid);
                return "Edm.Guid";
            default:
                throw new NotSupportedException($"Entity property type {value.GetType()} is not written by the transaction sender.");
        }
    }

    private static void WriteDateTime(Utf8JsonWriter writer, DateTime utc)
    {
        Span<byte> text = stackalloc byte[32];
        utc.TryFormat(text, out var length, DateTimeFormat, CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..length]);
    }

    private static void WriteTypeAnnotation(Utf8JsonWriter writer, string name, string edmType)
    {
        if (name.Length <= MaxStackName)
        {
            Span<byte> annotated = stackalloc byte[(MaxStackName * 3) + 11];
            var length = Encoding.UTF8.GetBytes(name, annotated);
            TypeSuffix.CopyTo(annotated[length..]);
            writer.WritePropertyName(annotated[..(length + TypeSuffix.Length)]);
        }
        else
        {
            writer.WritePropertyName(name + "@odata.type");
        }

        writer.WriteStringValue(edmType);
    }
}
