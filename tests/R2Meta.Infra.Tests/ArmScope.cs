using System.Globalization;
using System.Text.Json.Nodes;
using System.Text;

namespace R2Meta.Infra.Tests;

/// <summary>One resource of a compiled template, read through the scope (template) that declares it.</summary>
public sealed record ArmResource(ArmScope Scope, JsonObject Raw)
{
    public string Type => (string)Raw["type"]!;

    /// <summary>The node at a dotted path ("properties.resource.id"), its constant expressions evaluated.</summary>
    public JsonNode? Node(string path)
    {
        JsonNode? node = Raw;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject obj ? obj[segment] : null;
        }

        return Scope.Resolve(node);
    }

    /// <summary>The string at a dotted path, evaluated; an expression that is not constant stays as written ("[...]").</summary>
    public string? Text(string path) => Node(path) is JsonValue value ? value.ToString() : null;
}

/// <summary>
/// A compiled ARM template (or a module's nested template) with just enough of the ARM expression language
/// to evaluate what is constant: string and integer literals, parameters() (values passed by the parent
/// deployment or defaults), variables(), format(), concat(), replace(), string(), toLower(), toUpper(), true(),
/// false(), and property or index access on their results (variables('runbooks').latency).
/// Anything else (reference(), resourceGroup(), copyIndex(), ...) is left as its "[...]" text.
/// </summary>
public sealed class ArmScope
{
    private readonly JsonObject _parameterValues;

    public ArmScope(JsonObject template, JsonObject? parameterValues = null, string name = "main")
    {
        Template = template;
        _parameterValues = parameterValues ?? [];
        Name = name;
    }

    public JsonObject Template { get; }

    /// <summary>"main" or the module deployment's name.</summary>
    public string Name { get; }

    /// <summary>The template's own resources (not "existing" references), in either language version's shape.</summary>
    public IEnumerable<ArmResource> OwnResources => Template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>().Where(IsDeployed).Select(r => new ArmResource(this, r)),
        JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>().Where(IsDeployed).Select(r => new ArmResource(this, r)),
        _ => [],
    };

    /// <summary>Every resource of this template and, recursively, of the module deployments it holds.</summary>
    public IEnumerable<ArmResource> AllResources
    {
        get
        {
            foreach (var resource in OwnResources)
            {
                yield return resource;
                if (resource.Type == "Microsoft.Resources/deployments" && resource.Raw["properties"]?["template"] is JsonObject nested)
                {
                    foreach (var inner in Module(resource, nested).AllResources)
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    public IEnumerable<ArmResource> OfType(string type) =>
        AllResources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The nested template of the module deployment named <paramref name="name"/>.</summary>
    public ArmScope ModuleNamed(string name)
    {
        var deployment = OfType("Microsoft.Resources/deployments").Single(d => d.Text("name") == name);
        return deployment.Scope.Module(deployment, (JsonObject)deployment.Raw["properties"]!["template"]!);
    }

    /// <summary>A value with every constant expression inside it evaluated (a deep copy).</summary>
    public JsonNode? Resolve(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Resolve)]),
        JsonValue value when value.TryGetValue<string>(out var text) => ResolveText(text),
        _ => node.DeepClone(),
    };

    /// <summary>The declared type of a parameter ("string", "securestring", ...).</summary>
    public string? ParameterType(string name) => (string?)Template["parameters"]?[name]?["type"];

    private bool IsDeployed(JsonObject resource) => resource["existing"]?.GetValue<bool>() != true && !IsEmptyLoop(resource);

    /// <summary>A copy loop over an array parameter that is empty by default (main.bicep's extraMetadataClusters) deploys nothing.</summary>
    private bool IsEmptyLoop(JsonObject resource) =>
        resource["copy"]?["count"]?.GetValue<string>() is { } count
        && System.Text.RegularExpressions.Regex.Match(count, @"^\[length\(parameters\('([^']+)'\)\)\]$") is { Success: true } match
        && Template["parameters"]?[match.Groups[1].Value]?["defaultValue"] is JsonArray { Count: 0 }
        && !_parameterValues.ContainsKey(match.Groups[1].Value);

    private ArmScope Module(ArmResource deployment, JsonObject nested)
    {
        var values = new JsonObject();
        if (deployment.Raw["properties"]?["parameters"] is JsonObject passed)
        {
            foreach (var (name, wrapper) in passed)
            {
                values[name] = Resolve(wrapper?["value"]);
            }
        }

        return new ArmScope(nested, values, deployment.Text("name") ?? "?");
    }

    private JsonNode? ResolveText(string text)
    {
        if (!IsExpression(text))
        {
            // "[[" escapes a literal that starts with "[".
            return JsonValue.Create(text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text);
        }

        try
        {
            return Evaluate(Parser.Parse(text[1..^1]))?.DeepClone();
        }
        catch (NotConstantException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>
    /// The last segment of a resource name: child names compile to format('{0}/{1}/{2}', account, 'default', name),
    /// whose last argument is often constant although the account name is not.
    /// </summary>
    public string? LastNameSegment(ArmResource resource)
    {
        var name = Resolve(resource.Raw["name"]);
        if (!IsUnresolved(name))
        {
            return name?.GetValue<string>().Split('/')[^1];
        }

        var text = name!.GetValue<string>();
        if (Parser.Parse(text[1..^1]) is Call { Function: var function, Arguments: [Literal, .., var last], Accessors.Count: 0 }
            && function.Equals("format", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return Evaluate(last) is JsonValue value && value.TryGetValue<string>(out var segment) ? segment : null;
            }
            catch (NotConstantException)
            {
                return null;
            }
        }

        return null;
    }

    private JsonNode? Evaluate(Expression expression) => expression switch
    {
        Literal literal => literal.Value.DeepClone(),
        Call call => Access(Apply(call.Function, call.Arguments.Select(Evaluate).ToList()), call.Accessors),
        _ => throw new NotConstantException(),
    };

    /// <summary>.property (ARM matches names ignoring case) and [index] applied in turn to a constant value.</summary>
    private JsonNode? Access(JsonNode? value, IReadOnlyList<Expression> accessors)
    {
        foreach (var accessor in accessors)
        {
            var key = Evaluate(accessor);
            value = (value, key) switch
            {
                (JsonObject obj, JsonValue name) when name.TryGetValue<string>(out var property) =>
                    obj.FirstOrDefault(p => string.Equals(p.Key, property, StringComparison.OrdinalIgnoreCase)) is { Key: not null } found
                        ? found.Value
                        : throw new NotConstantException(),
                (JsonArray array, JsonValue index) when index.TryGetValue<long>(out var at) && at >= 0 && at < array.Count => array[(int)at],
                _ => throw new NotConstantException(),
            };
        }

        return value;
    }

    private JsonNode? Apply(string function, List<JsonNode?> arguments) => function.ToUpperInvariant() switch
    {
        "PARAMETERS" => Parameter(Str(arguments, 0)),
        "VARIABLES" => Variable(Str(arguments, 0)),
        "FORMAT" => JsonValue.Create(Format(Str(arguments, 0), arguments.Skip(1).Select(ToText).ToArray())),
        "CONCAT" when arguments.All(a => a is JsonValue) => JsonValue.Create(string.Concat(arguments.Select(ToText))),
        "REPLACE" => JsonValue.Create(Str(arguments, 0).Replace(Str(arguments, 1), Str(arguments, 2), StringComparison.Ordinal)),
        // ARM's string() writes objects and arrays as compact JSON.
        "STRING" when arguments is [JsonObject or JsonArray] => JsonValue.Create(arguments[0]!.ToJsonString()),
        "STRING" when arguments is [JsonValue] => JsonValue.Create(ToText(arguments[0])),
        "TOLOWER" => JsonValue.Create(Str(arguments, 0).ToLowerInvariant()),
        "TOUPPER" => JsonValue.Create(Str(arguments, 0).ToUpperInvariant()),
        "TRUE" => JsonValue.Create(true),
        "FALSE" => JsonValue.Create(false),
        _ => throw new NotConstantException(),
    };

    private static string Format(string format, string[] values)
    {
        var result = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '{' && i + 1 < format.Length && format[i + 1] == '{')
            {
                result.Append('{');
                i++;
            }
            else if (format[i] == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                result.Append('}');
                i++;
            }
            else if (format[i] == '{')
            {
                var close = format.IndexOf('}', i);
                if (close < 0 || !int.TryParse(format.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    || index >= values.Length)
                {
                    throw new NotConstantException();
                }

                result.Append(values[index]);
                i = close;
            }
            else
            {
                result.Append(format[i]);
            }
        }

        return result.ToString();
    }

    private static string Str(List<JsonNode?> arguments, int index) =>
        arguments.Count > index && arguments[index] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new NotConstantException();

    private static string ToText(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<long>(out var number) => number.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag ? "True" : "False",
        _ => throw new NotConstantException(),
    };

    private static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[1] != '[' && text[^1] == ']';

    /// <summary>True when the value is still an (unevaluated) ARM expression.</summary>
    public static bool IsUnresolved(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && IsExpression(text);

    private JsonNode? Parameter(string name)
    {
        if (_parameterValues.TryGetPropertyValue(name, out var supplied))
        {
            return IsUnresolved(supplied) ? throw new NotConstantException() : supplied;
        }

        if (Template["parameters"]?[name] is JsonObject declared && declared.TryGetPropertyValue("defaultValue", out var fallback))
        {
            var value = Resolve(fallback);
            return IsUnresolved(value) ? throw new NotConstantException() : value;
        }

        throw new NotConstantException();
    }

    private JsonNode? Variable(string name)
    {
        if (Template["variables"] is JsonObject variables && variables.TryGetPropertyValue(name, out var declared))
        {
            var value = Resolve(declared);
            return IsUnresolved(value) ? throw new NotConstantException() : value;
        }

        throw new NotConstantException();
    }

    private sealed class NotConstantException : Exception;

    private abstract record Expression;

    private sealed record Literal(JsonNode Value) : Expression;

    /// <summary>function(arguments) followed by .property or [index] accessors.</summary>
    private sealed record Call(string Function, IReadOnlyList<Expression> Arguments, IReadOnlyList<Expression> Accessors) : Expression;

    /// <summary>Recursive descent over the ARM expression grammar: literals, calls, property and index access.</summary>
    private sealed class Parser
    {
        private readonly string _text;
        private int _at;

        private Parser(string text) => _text = text;

        public static Expression Parse(string text)
        {
            var parser = new Parser(text);
            var expression = parser.ParseExpression();
            parser.SkipSpace();
            return parser._at == text.Length ? expression : throw new NotConstantException();
        }

        private Expression ParseExpression()
        {
            SkipSpace();
            var c = Peek();
            if (c == '\'')
            {
                return new Literal(JsonValue.Create(ParseString()));
            }

            if (char.IsDigit(c) || c == '-')
            {
                var start = _at++;
                while (char.IsDigit(Peek()))
                {
                    _at++;
                }

                return new Literal(JsonValue.Create(long.Parse(_text.AsSpan(start, _at - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)));
            }

            if (!char.IsLetter(c))
            {
                throw new NotConstantException();
            }

            var nameStart = _at;
            while (char.IsLetterOrDigit(Peek()) || Peek() == '_')
            {
                _at++;
            }

            var function = _text[nameStart.._at];
            Expect('(');
            var arguments = new List<Expression>();
            SkipSpace();
            if (Peek() != ')')
            {
                arguments.Add(ParseExpression());
                SkipSpace();
                while (Peek() == ',')
                {
                    _at++;
                    arguments.Add(ParseExpression());
                    SkipSpace();
                }
            }

            Expect(')');
            var accessors = new List<Expression>();
            while (true)
            {
                SkipSpace();
                if (Peek() == '.')
                {
                    _at++;
                    var start = _at;
                    while (char.IsLetterOrDigit(Peek()) || Peek() == '_')
                    {
                        _at++;
                    }

                    accessors.Add(new Literal(JsonValue.Create(_text[start.._at])));
                }
                else if (Peek() == '[')
                {
                    _at++;
                    accessors.Add(ParseExpression());
                    Expect(']');
                }
                else
                {
                    return new Call(function, arguments, accessors);
                }
            }
        }

        private string ParseString()
        {
            var result = new StringBuilder();
            _at++;
            while (true)
            {
                if (_at >= _text.Length)
                {
                    throw new NotConstantException();
                }

                if (_text[_at] == '\'')
                {
                    if (_at + 1 < _text.Length && _text[_at + 1] == '\'')
                    {
                        result.Append('\'');
                        _at += 2;
                        continue;
                    }

                    _at++;
                    return result.ToString();
                }

                result.Append(_text[_at++]);
            }
        }

        private char Peek() => _at < _text.Length ? _text[_at] : '\0';

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c)
            {
                throw new NotConstantException();
            }

            _at++;
        }

        private void SkipSpace()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
            {
                _at++;
            }
        }
    }
}
