using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;

namespace R2Meta.Storage.Tables.Queries;

/// <summary>
/// Reads Table service answers in <c>application/json;odata=minimalmetadata</c> straight into <see cref="TableEntity"/>
/// objects with the values Azure.Data.Tables gives (its JSON element reading, then its type annotation pass): strings,
/// unannotated numbers as <see cref="int"/> (else <see cref="long"/>, else <see cref="double"/>), booleans, nulls;
/// <c>Edm.Int64</c> as <see cref="long"/>, <c>Edm.DateTime</c> and <c>Timestamp</c> as <see cref="DateTimeOffset"/>,
/// <c>Edm.Binary</c> as <see cref="byte"/>[], <c>Edm.Guid</c> as <see cref="Guid"/>, <c>Edm.Double</c> as <see cref="double"/>;
/// <c>odata.etag</c> kept (it is what <see cref="TableEntity.ETag"/> reads), <c>odata.metadata</c> and the annotations left out.
/// The SDK instead parses the whole answer into a document, each row into a dictionary of boxed elements, and copies that.
/// </summary>
internal sealed class EntityJsonReader
{
    private const string Timestamp = "Timestamp";

    private static readonly object True = true;
    private static readonly object False = false;

    private static ReadOnlySpan<byte> TypeSuffix => "@odata.type"u8;

    private static ReadOnlySpan<byte> Metadata => "odata.metadata"u8;

    /// <summary>
    /// Property names by their position in the previous row: rows of one answer mostly share their layout, so a name is
    /// compared as bytes and reused instead of allocated again for every row.
    /// </summary>
    private readonly List<(byte[] Utf8, string Name)> _names = [];

    /// <summary>One row's properties before they become its entity: copied once into a dictionary of the right size.</summary>
    private readonly Dictionary<string, object> _row = [];

    /// <summary>Annotations read before the value they type (the service's order).</summary>
    private readonly List<(string Name, EdmType Type)> _pending = [];

    private enum EdmType
    {
        None,
        Int64,
        DateTime,
        Binary,
        Guid,
        Double,
    }

    /// <summary>The entity of a point read's answer (one JSON object).</summary>
    public static TableEntity ReadEntity(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        return new EntityJsonReader().ReadObject(ref reader);
    }

    /// <summary>The rows of a query's answer (<c>{"odata.metadata":…,"value":[…]}</c>), added to <paramref name="rows"/>.</summary>
    public static void ReadPage(ReadOnlySpan<byte> json, List<TableEntity> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        var entities = new EntityJsonReader();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            Expect(ref reader, JsonTokenType.StartArray);
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                rows.Add(entities.ReadObject(ref reader));
            }
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new JsonException($"Table service answer: expected {token}, found {reader.TokenType}.");
        }
    }

    /// <summary>Reads the object the reader is at the start of, up to and including its end.</summary>
    private TableEntity ReadObject(ref Utf8JsonReader reader)
    {
        _row.Clear();
        _pending.Clear();
        var position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var annotation = !reader.ValueIsEscaped && reader.ValueSpan.EndsWith(TypeSuffix);
            if (!annotation && reader.ValueTextEquals(Metadata))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            var name = Name(ref reader, position++, annotation ? TypeSuffix.Length : 0);
            reader.Read();
            if (annotation)
            {
                Annotate(name, TypeOf(ref reader));
            }
            else
            {
                _row[name] = Value(ref reader, TakePending(name), name)!;
            }
        }

        return new TableEntity(_row);
    }

    private void Annotate(string name, EdmType type)
    {
        // The value came first: it was read as a string, typed now.
        if (_row.TryGetValue(name, out var value))
        {
            _row[name] = value is string text ? Convert(text, type) : value;
        }
        else
        {
            _pending.Add((name, type));
        }
    }

    private EdmType TakePending(string name)
    {
        for (var i = 0; i < _pending.Count; i++)
        {
            if (string.Equals(_pending[i].Name, name, StringComparison.Ordinal))
            {
                var type = _pending[i].Type;
                _pending.RemoveAt(i);
                return type;
            }
        }

        return EdmType.None;
    }

    /// <summary>The property name the reader is at, without its last <paramref name="trim"/> bytes.</summary>
    private string Name(ref Utf8JsonReader reader, int position, int trim)
    {
        if (reader.ValueIsEscaped)
        {
            var unescaped = reader.GetString()!;
            return unescaped[..(unescaped.Length - trim)];
        }

        var utf8 = reader.ValueSpan[..^trim];
        if (position < _names.Count && utf8.SequenceEqual(_names[position].Utf8))
        {
            return _names[position].Name;
        }

        var name = Encoding.UTF8.GetString(utf8);
        var entry = (utf8.ToArray(), name);
        if (position < _names.Count)
        {
            _names[position] = entry;
        }
        else if (position == _names.Count)
        {
            _names.Add(entry);
        }

        return name;
    }

    private static EdmType TypeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("Edm.Int64"u8) ? EdmType.Int64
        : reader.ValueTextEquals("Edm.DateTime"u8) ? EdmType.DateTime
        : reader.ValueTextEquals("Edm.Binary"u8) ? EdmType.Binary
        : reader.ValueTextEquals("Edm.Guid"u8) ? EdmType.Guid
        : reader.ValueTextEquals("Edm.Double"u8) ? EdmType.Double
        // As the SDK, which knows no other annotation.
        : throw new NotSupportedException("Not supported type " + reader.GetString());

    private static object? Value(ref Utf8JsonReader reader, EdmType type, string name) => reader.TokenType switch
    {
        JsonTokenType.String => type switch
        {
            EdmType.None when string.Equals(name, Timestamp, StringComparison.Ordinal) => DateTime(ref reader),
            EdmType.None => reader.GetString(),
            EdmType.Int64 when !reader.ValueIsEscaped => long.Parse(reader.ValueSpan, NumberStyles.Integer, CultureInfo.InvariantCulture),
            EdmType.DateTime => DateTime(ref reader),
            EdmType.Binary => reader.GetBytesFromBase64(),
            EdmType.Guid when reader.TryGetGuid(out var guid) => guid,
            EdmType.Double when !reader.ValueIsEscaped => double.Parse(reader.ValueSpan, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
            _ => Convert(reader.GetString()!, type),
        },
        // Each arm boxed as its own type (a switch of int, long and double arms would make them all double).
        JsonTokenType.Number => type switch
        {
            EdmType.Double => (object)reader.GetDouble(),
            EdmType.Int64 => (object)reader.GetInt64(),
            _ when reader.TryGetInt32(out var number) => (object)number,
            _ when reader.TryGetInt64(out var number) => (object)number,
            _ => (object)reader.GetDouble(),
        },
        JsonTokenType.True => True,
        JsonTokenType.False => False,
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Table service answer: property {name} holds a {reader.TokenType}."),
    };

    private static object DateTime(ref Utf8JsonReader reader) =>
        reader.TryGetDateTimeOffset(out var time)
            ? time
            : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>The SDK's parse of a typed value that came as a string.</summary>
    private static object Convert(string text, EdmType type) => type switch
    {
        EdmType.Int64 => long.Parse(text, CultureInfo.InvariantCulture),
        EdmType.DateTime => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        EdmType.Binary => System.Convert.FromBase64String(text),
        EdmType.Guid => Guid.Parse(text),
        EdmType.Double => double.Parse(text, CultureInfo.InvariantCulture),
        _ => text,
    };
}
