using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VersionKit.Generated;

namespace VersionKit;

/// <summary>
/// The request surface of a history, read from the request plans the generator compiled and nothing else: what a caller at a
/// version may send (every field by all its names), the upgrade to the current shape wherever a request object sits, and
/// each value checked against the current type. Errors name a field as the caller sent it (<c>to[zip]</c>, <c>stops[1][zip]</c>).
/// </summary>
internal sealed class RequestReader
{
    private const int MaxShown = 40;

    private readonly IReadOnlyList<ApiVersion> _versions;
    private readonly FrozenDictionary<Type, CompiledRequest> _requests;

    public RequestReader(IReadOnlyList<ApiVersion> versions, IEnumerable<RequestHistory> requests)
    {
        _versions = versions;
        _requests = requests.ToFrozenDictionary(r => r.RequestType, r => new CompiledRequest(r));

        // The versions at which a request, or a request object inside it, has a step: found by repeating until nothing is added (types may nest themselves).
        bool added = true;
        while (added)
        {
            added = false;
            foreach (var request in _requests.Values)
            {
                foreach (var entry in request.Entries)
                {
                    foreach (var type in ObjectTypes(entry.Value))
                    {
                        if (_requests.TryGetValue(type, out var inner) && !inner.StepsBelow.IsSubsetOf(request.StepsBelow))
                        {
                            request.StepsBelow.UnionWith(inner.StepsBelow);
                            added = true;
                        }
                    }
                }
            }
        }
    }

    public bool TryGet(Type type, out RequestHistory? request)
    {
        bool found = _requests.TryGetValue(type, out var compiled);
        request = compiled?.History;
        return found;
    }

    /// <summary>Whether some request change (of the type or of a request object inside it) is newer than <paramref name="index"/>.</summary>
    public bool NeedsUpgrade(Type type, int index) => _requests.TryGetValue(type, out var request) && request.StepsBelow.Any(k => k > index);

    /// <summary>Checks <paramref name="request"/> against what its version takes, upgrades it, then checks its values against the current type.</summary>
    public bool Read(Type type, JsonObject request, int index, bool valuesAreText)
    {
        if (!_requests.TryGetValue(type, out var compiled))
        {
            return false;
        }

        if (compiled.Plan is not null)
        {
            Check(request, compiled, index, null);
        }

        bool upgraded = Upgrade(request, compiled, index);
        if (compiled.Plan is not null)
        {
            TypeObject(request, compiled, index, null, valuesAreText);
        }

        return upgraded;
    }

    /// <summary>Upgrades <paramref name="request"/>, sent at version index <paramref name="index"/>, to the current shape: version by version, each object outermost first.</summary>
    public bool Upgrade(Type type, JsonObject request, int index)
        => _requests.TryGetValue(type, out var compiled) && Upgrade(request, compiled, index);

    /// <summary>The name a caller at <paramref name="index"/> gives the field the current shape calls <paramref name="field"/> (a bracket path).</summary>
    public string NameAt(Type type, string field, int index)
    {
        if (ParsePath(field) is not { } segments)
        {
            return field;
        }

        string? path = null;
        var request = _requests.GetValueOrDefault(type);
        RequestValue? value = null;
        foreach (string segment in segments)
        {
            string name = segment;
            RequestValue? next = null;
            if (request?.Plan is not null)
            {
                int entry = request.Current.Entry(segment);
                if (entry >= 0)
                {
                    name = request.At(index).Name(entry) ?? segment;
                    next = request.Entries[entry].Value;
                }
            }
            else if (value is { Kind: RequestValueKind.List or RequestValueKind.Dictionary })
            {
                next = value.Item;
            }

            path = Join(path, name);
            request = next is { Kind: RequestValueKind.Object, Type: { } objectType } ? _requests.GetValueOrDefault(objectType) : null;
            value = request is null ? next : null;
        }

        return path ?? field;
    }

    private void Check(JsonObject request, CompiledRequest type, int index, string? path)
    {
        var stretch = type.At(index);
        foreach (var (name, value) in request)
        {
            int entry = stretch.Entry(name);
            if (entry >= 0)
            {
                CheckValue(value, type.Entries[entry].Value, index, Join(path, name));
                continue;
            }

            string sent = Join(path, name);
            int other = type.EntryByAnyName(name);
            if (other >= 0 && stretch.Name(other) is { } own)
            {
                string ownPath = Join(path, own);
                if (request.ContainsKey(own))
                {
                    throw new RequestShapeException(ownPath, $"Received both '{ownPath}' and '{sent}', two names of one parameter; at API version {_versions[index]} it is '{ownPath}': send it once.");
                }

                throw new RequestShapeException(sent, $"Received unknown parameter: {sent}. At API version {_versions[index]} this parameter is '{ownPath}'.", unknownField: true);
            }

            string? when = other >= 0 ? type.When(other, index, _versions) : null;
            throw new RequestShapeException(sent, $"Received unknown parameter: {sent}." + (when is null ? string.Empty : $" {when}; this request is at API version {_versions[index]}."), unknownField: true);
        }
    }

    private void CheckValue(JsonNode? node, RequestValue value, int index, string path)
    {
        switch (value.Kind)
        {
            case RequestValueKind.Object when node is JsonObject inner && _requests.TryGetValue(value.Type!, out var type) && type.Plan is not null:
                Check(inner, type, index, path);
                break;
            case RequestValueKind.List when node is JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    CheckValue(array[i], value.Item!, index, Join(path, Index(i)));
                }

                break;
            case RequestValueKind.Dictionary when node is JsonObject dictionary:
                foreach (var (key, item) in dictionary)
                {
                    CheckValue(item, value.Item!, index, Join(path, key));
                }

                break;
        }
    }

    private bool Upgrade(JsonObject request, CompiledRequest type, int index)
    {
        bool applied = false;
        foreach (int k in type.StepsBelow.Where(k => k > index).Order())
        {
            UpgradeAt(request, type, k, index, null);
            applied = true;
        }

        return applied;
    }

    // One version's step on one object, then on the request objects inside it, found by the object's fields at that version.
    private void UpgradeAt(JsonObject request, CompiledRequest type, int k, int from, string? path)
    {
        if (type.StepAt(k) is { } step)
        {
            foreach (var op in step.Code.Concat(step.Declarations))
            {
                try
                {
                    Apply(request, op, path);
                }
                catch (RequestShapeException exception) when (path is not null && exception.Field is { } field)
                {
                    throw new RequestShapeException(Join(path, field), exception.Message, exception);
                }
                catch (Exception exception) when (exception is not RequestShapeException)
                {
                    // The change's own text may be .NET's: the caller is told what failed, the log keeps the exception.
                    throw new RequestShapeException(path, $"The request does not have the shape API version {_versions[from]} expects: {op.Change.Name} could not upgrade it.", exception);
                }
            }
        }

        var stretch = type.At(k);
        foreach (var field in stretch.Fields)
        {
            var value = type.Entries[field.Entry].Value;
            if (Reaches(value, k) && request[field.Name] is { } node)
            {
                UpgradeValue(node, value, k, from, Join(path, field.Name));
            }
        }
    }

    private void UpgradeValue(JsonNode node, RequestValue value, int k, int from, string path)
    {
        switch (value.Kind)
        {
            case RequestValueKind.Object when node is JsonObject inner:
                UpgradeAt(inner, _requests[value.Type!], k, from, path);
                break;
            case RequestValueKind.List when node is JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        UpgradeValue(item, value.Item!, k, from, Join(path, Index(i)));
                    }
                }

                break;
            case RequestValueKind.Dictionary when node is JsonObject dictionary:
                foreach (var (key, item) in dictionary.ToList())
                {
                    if (item is not null)
                    {
                        UpgradeValue(item, value.Item!, k, from, Join(path, key));
                    }
                }

                break;
        }
    }

    private bool Reaches(RequestValue value, int k) => value.Kind switch
    {
        RequestValueKind.Object => _requests.TryGetValue(value.Type!, out var type) && type.StepsBelow.Contains(k),
        RequestValueKind.List or RequestValueKind.Dictionary => Reaches(value.Item!, k),
        _ => false,
    };

    private static void Apply(JsonObject request, PlanOp op, string? path)
    {
        switch (op.Kind)
        {
            case PlanOpKind.Code:
                op.Code!(request);
                break;
            case PlanOpKind.Rename:
                int index = request.IndexOf(op.Field);
                if (index >= 0)
                {
                    if (request.ContainsKey(op.To!))
                    {
                        // Only code can get here: the caller's own request was checked for two names of one field.
                        throw new RequestShapeException(op.Field, $"Received both '{Join(path, op.Field)}' and '{Join(path, op.To!)}', two names of one parameter: send it once.");
                    }

                    var value = request[index];
                    request.RemoveAt(index);
                    request.Insert(index, op.To!, value);
                }

                break;
            case PlanOpKind.Hide:
                request.Remove(op.Field);
                break;
        }
    }

    // The current shape's types: what a binder will read. Form and query values are text, turned into numbers and booleans where the type has them.
    private void TypeObject(JsonObject request, CompiledRequest type, int index, string? path, bool text)
    {
        var current = type.Current;
        var caller = type.At(index);
        List<(string Name, JsonNode? Value)>? replaced = null;
        foreach (var (name, node) in request)
        {
            int entry = current.Entry(name);
            if (entry < 0)
            {
                continue;
            }

            var typed = TypeValue(node, type.Entries[entry].Value, index, Join(path, caller.Name(entry) ?? name), text);
            if (!ReferenceEquals(typed, node))
            {
                (replaced ??= []).Add((name, typed));
            }
        }

        foreach (var (name, value) in replaced ?? [])
        {
            request[name] = value;
        }
    }

    private JsonNode? TypeValue(JsonNode? node, RequestValue value, int index, string path, bool text)
    {
        if (node is null || value.Kind == RequestValueKind.Any)
        {
            return node;
        }

        var kind = node.GetValueKind();
        string? textValue = text && kind == JsonValueKind.String ? node.GetValue<string>() : null;
        if (textValue is { Length: 0 } && value.Kind is not RequestValueKind.String)
        {
            // An empty form value unsets a field, as Stripe reads it.
            return null;
        }

        switch (value.Kind)
        {
            case RequestValueKind.String:
                return kind == JsonValueKind.String ? node : throw Invalid(path, "string", node);
            case RequestValueKind.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False ? node
                    : textValue is "true" ? JsonValue.Create(true)
                    : textValue is "false" ? JsonValue.Create(false)
                    : throw Invalid(path, "boolean", node);
            case RequestValueKind.Integer:
                return kind == JsonValueKind.Number && Integer(node.ToJsonString(), value.Type) is not null ? node
                    : textValue is not null && Integer(textValue, value.Type) is { } integer ? integer
                    : throw Invalid(path, "integer", node);
            case RequestValueKind.Number:
                return kind == JsonValueKind.Number ? node
                    : textValue is not null && Number(textValue, value.Type) is { } number ? number
                    : throw Invalid(path, "number", node);

            case RequestValueKind.Object when node is JsonObject inner:
                if (_requests.TryGetValue(value.Type!, out var type) && type.Plan is not null)
                {
                    TypeObject(inner, type, index, path, text);
                }

                return node;
            case RequestValueKind.List when node is JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    var typed = TypeValue(item, value.Item!, index, Join(path, Index(i)), text);
                    if (!ReferenceEquals(typed, item))
                    {
                        array[i] = typed;
                    }
                }

                return node;
            case RequestValueKind.Dictionary when node is JsonObject dictionary:
                foreach (var (key, item) in dictionary.ToList())
                {
                    var typed = TypeValue(item, value.Item!, index, Join(path, key), text);
                    if (!ReferenceEquals(typed, item))
                    {
                        dictionary[key] = typed;
                    }
                }

                return node;
            case RequestValueKind.List:
                throw Invalid(path, "array", node);
            default:
                throw Invalid(path, "object", node);
        }
    }

    private static RequestShapeException Invalid(string path, string expected, JsonNode node)
    {
        string shown = node.GetValueKind() switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => Shorten(node.GetValue<string>()),
            _ => Shorten(node.ToJsonString()),
        };
        return new RequestShapeException(path, $"Invalid {expected}: {shown} (parameter '{path}').");
    }

    private static string Shorten(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + "...";

    /// <summary>The text as a JSON integer within <paramref name="type"/>'s range, or <see langword="null"/>.</summary>
    private static JsonValue? Integer(string text, Type? type)
    {
        const NumberStyles Style = NumberStyles.AllowLeadingSign;
        var culture = CultureInfo.InvariantCulture;
        if (type == typeof(ulong))
        {
            return ulong.TryParse(text, Style, culture, out ulong large) ? JsonValue.Create(large) : null;
        }

        if (!long.TryParse(text, Style, culture, out long number))
        {
            return null;
        }

        var (min, max) = type switch
        {
            _ when type == typeof(byte) => ((long)byte.MinValue, (long)byte.MaxValue),
            _ when type == typeof(sbyte) => (sbyte.MinValue, sbyte.MaxValue),
            _ when type == typeof(short) => (short.MinValue, short.MaxValue),
            _ when type == typeof(ushort) => (ushort.MinValue, ushort.MaxValue),
            _ when type == typeof(int) => (int.MinValue, int.MaxValue),
            _ when type == typeof(uint) => (uint.MinValue, uint.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        return number >= min && number <= max ? JsonValue.Create(number) : null;
    }

    /// <summary>The text as a JSON number (finite, within <see cref="decimal"/> for a decimal), or <see langword="null"/>.</summary>
    private static JsonValue? Number(string text, Type? type)
    {
        const NumberStyles Style = NumberStyles.Float;
        if (type == typeof(decimal))
        {
            return decimal.TryParse(text, Style, CultureInfo.InvariantCulture, out decimal exact) ? JsonValue.Create(exact) : null;
        }

        return double.TryParse(text, Style, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number) ? JsonValue.Create(number) : null;
    }

    private static IEnumerable<Type> ObjectTypes(RequestValue value)
    {
        for (var current = value; current is not null; current = current.Item)
        {
            if (current is { Kind: RequestValueKind.Object, Type: { } type })
            {
                yield return type;
            }
        }
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    /// <summary>A parameter's path as Stripe writes it: <c>to</c>, <c>to[zip]</c>, <c>stops[1][zip]</c>.</summary>
    private static string Join(string? path, string name) => path is null ? name : path + "[" + name + "]";

    private static List<string>? ParsePath(string path)
    {
        int open = path.IndexOf('[', StringComparison.Ordinal);
        var segments = new List<string> { open < 0 ? path : path[..open] };
        while (open >= 0)
        {
            int close = path.IndexOf(']', open);
            if (close < 0)
            {
                return null;
            }

            segments.Add(path[(open + 1)..close]);
            open = close + 1 < path.Length && path[close + 1] == '[' ? close + 1 : -1;
        }

        return segments;
    }

    /// <summary>A request type's plan, ready to look names up in: per stretch, each name's entry and each entry's name.</summary>
    private sealed class CompiledRequest
    {
        private readonly Stretch[] _stretches;
        private readonly FrozenDictionary<int, PlanStep> _steps;
        private readonly FrozenDictionary<string, int> _anyName;

        public CompiledRequest(RequestHistory history)
        {
            History = history;
            Plan = history.Plan;
            Entries = Plan?.Entries ?? [];
            _stretches = Plan is null ? [] : [.. Plan.Stretches.Select(s => new Stretch(s, Entries.Count))];
            _steps = history.Steps.ToFrozenDictionary(s => s.VersionIndex);
            StepsBelow = [.. history.Steps.Select(s => s.VersionIndex)];

            // Every name a field has had, newest first: a name two fields have had (one renamed away, another renamed to it) finds the newer.
            var anyName = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var stretch in _stretches.Reverse())
            {
                foreach (var field in stretch.Fields)
                {
                    anyName.TryAdd(field.Name, field.Entry);
                }
            }

            _anyName = anyName.ToFrozenDictionary(StringComparer.Ordinal);
        }

        public RequestHistory History { get; }

        public RequestPlan? Plan { get; }

        public IReadOnlyList<RequestPlanEntry> Entries { get; }

        /// <summary>The versions at which this type, or a request object it holds, has a step.</summary>
        public HashSet<int> StepsBelow { get; }

        public Stretch Current => _stretches[^1];

        public Stretch At(int index)
        {
            for (int i = _stretches.Length - 1; i > 0; i--)
            {
                if (_stretches[i].From <= index)
                {
                    return _stretches[i];
                }
            }

            return _stretches[0];
        }

        public PlanStep? StepAt(int index) => _steps.GetValueOrDefault(index);

        public int EntryByAnyName(string name) => _anyName.TryGetValue(name, out int entry) ? entry : -1;

        /// <summary>When a field the caller's version lacks was there: added by a newer version, or removed by an older one.</summary>
        public string? When(int entry, int index, IReadOnlyList<ApiVersion> versions)
        {
            int i = Array.IndexOf(_stretches, At(index));
            for (int later = i + 1; later < _stretches.Length; later++)
            {
                if (_stretches[later].Name(entry) is not null)
                {
                    return $"API version {versions[_stretches[later].From]} added it";
                }
            }

            for (int earlier = i - 1; earlier >= 0; earlier--)
            {
                if (_stretches[earlier].Name(entry) is not null)
                {
                    return $"API version {versions[_stretches[earlier + 1].From]} removed it";
                }
            }

            return null;
        }
    }

    private sealed class Stretch
    {
        private readonly FrozenDictionary<string, int> _byName;
        private readonly string?[] _byEntry;

        public Stretch(RequestPlanStretch stretch, int entries)
        {
            From = stretch.From;
            Fields = stretch.Fields;
            _byName = stretch.Fields.ToFrozenDictionary(f => f.Name, f => f.Entry, StringComparer.Ordinal);
            _byEntry = new string?[entries];
            foreach (var field in stretch.Fields)
            {
                _byEntry[field.Entry] = field.Name;
            }
        }

        public int From { get; }

        public IReadOnlyList<RequestPlanField> Fields { get; }

        public int Entry(string name) => _byName.TryGetValue(name, out int entry) ? entry : -1;

        public string? Name(int entry) => _byEntry[entry];
    }
}
