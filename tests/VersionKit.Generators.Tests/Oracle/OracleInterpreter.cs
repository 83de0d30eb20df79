using System.Globalization;
using System.Text.Json.Nodes;

namespace VersionKit.Generators.Tests.Oracle;

/// <summary>A payload in the current shape as JSON (never changed), with the objects C# resource objects wrote.</summary>
internal sealed record MarkedPayload(JsonNode? Json, IReadOnlySet<JsonObject> Resources);

/// <summary>What the oracle rendered, and the field names of every resource in it that a C# object wrote.</summary>
internal sealed record OracleRendering(JsonNode? Json, IReadOnlyList<(string Object, IReadOnlyList<string> Fields)> Owned);

/// <summary>
/// The oracle: section 2 of docs/architecture.md ("What a history means") applied by hand to a JSON DOM, written from that
/// text alone and sharing no code with VersionKit's runtime or generator. It knows which JSON objects are resources
/// because it marked them where C# resource objects wrote them (a dictionary never is one), and keeps the marks on copies
/// that JSON code makes (in raw JSON, an object naming a resource is one); a resource a C# object wrote also keeps that
/// object (as its current-shape JSON) for typed computations and typed code.
/// </summary>
internal sealed class OracleInterpreter
{
    private readonly OracleHistory _history;
    private readonly HashSet<JsonObject> _resources = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<JsonObject, JsonObject> _owners = new(ReferenceEqualityComparer.Instance);

    private OracleInterpreter(OracleHistory history) => _history = history;

    /// <summary>Renders <paramref name="payload"/> at <paramref name="target"/>: every newer version undone, newest first.</summary>
    public static OracleRendering Render(OracleHistory history, MarkedPayload payload, ApiVersion target)
    {
        var oracle = new OracleInterpreter(history);
        foreach (var resource in payload.Resources)
        {
            oracle._resources.Add(resource);
            oracle._owners[resource] = resource;
        }

        var work = oracle.Clone(payload.Json, owned: true);
        oracle.Undo(work, history.Versions.Where(v => v > target).Reverse());
        var owned = oracle.Collect(work)
            .Where(oracle._owners.ContainsKey)
            .Select(r => (r["object"]!.GetValue<string>(), (IReadOnlyList<string>)[.. r.Select(p => p.Key)]))
            .ToList();
        return new OracleRendering(work, owned);
    }

    private void Undo(JsonNode? root, IEnumerable<ApiVersion> newestFirst)
    {
        foreach (var version in newestFirst)
        {
            UndoVersion(root, version);
        }
    }

    private void UndoVersion(JsonNode? root, ApiVersion version)
    {
        var changes = _history.NewestFirst(version).Where(c => !c.SideEffects).ToList();
        if (changes.Count == 0)
        {
            return;
        }

        // The resources of the payload at this version. What code creates from here on is not among them: it receives
        // only the older versions.
        var found = Collect(root);

        // 1. Reads: every JSON computation of the version, on the payload before any of the version's operations.
        var reads = new Dictionary<Removed, Dictionary<JsonObject, JsonNode?>>();
        foreach (var removed in changes.SelectMany(c => c.Ops).OfType<Removed>().Where(r => r.Value is FromJson))
        {
            var computation = (FromJson)removed.Value;
            var values = reads[removed] = new Dictionary<JsonObject, JsonNode?>(ReferenceEqualityComparer.Instance);
            foreach (var resource in found.Where(r => Is(r, removed.On)))
            {
                JsonObject given = computation.ValueFromField is { } field
                    ? resource.TryGetPropertyValue(field, out var value) ? new JsonObject { [field] = CopyRaw(value) } : []
                    : (JsonObject)CopyRaw(resource)!;
                values[resource] = Compute(computation.Calc, given);
            }
        }

        // 2. Code: on each resource its code (changes newest first, each change's methods in source order), a resource before
        // the resources nested in it (found lists them so), so that code sees nested resources as they were at the version.
        var coded = changes.SelectMany(c => c.Ops).OfType<Coded>().ToList();
        foreach (var resource in found)
        {
            foreach (var code in coded.Where(c => Is(resource, c.On)))
            {
                RunCode(code, resource, version);
            }
        }

        // 3. Declarations: changes in the same order; in each, value maps, renames, hides, restores.
        foreach (var change in changes)
        {
            foreach (var resource in found)
            {
                var ops = change.Ops.Where(o => Is(resource, o.On)).ToList();
                foreach (var map in ops.OfType<Mapped>())
                {
                    if (resource[map.Field] is JsonValue value && value.TryGetValue(out string? text) && text == map.Value)
                    {
                        resource[map.Field] = map.Legacy;
                    }
                }

                foreach (var rename in ops.OfType<Renamed>())
                {
                    Rename(resource, rename.New, rename.Old);
                }

                foreach (var hide in ops.OfType<Added>())
                {
                    resource.Remove(hide.Field);
                }

                foreach (var restore in ops.OfType<Removed>())
                {
                    JsonNode? value = restore.Value switch
                    {
                        Constant constant => constant.Value?.DeepClone(),
                        FromJson => reads[restore][resource],
                        FromObject typed => TypedValue(Compute(typed.Calc, Owner(resource)), version),
                        _ => throw new InvalidOperationException(restore.ToString()),
                    };
                    resource.Add(restore.Field, value);
                }
            }
        }
    }

    private void RunCode(Coded coded, JsonObject resource, ApiVersion version)
    {
        if (coded.Field is null)
        {
            Apply(coded.Code, resource);
            return;
        }

        if (!resource.TryGetPropertyValue(coded.Field, out var value))
        {
            return;
        }

        JsonNode? result;
        if (coded.Code is Typed typed)
        {
            // The property's current C# value; what the method returns is a C# value too, in the current shape.
            result = TypedValue(Compute(typed, Owner(resource)[typed.Property.Name]), version);
        }
        else
        {
            var holder = new JsonObject { [coded.Field] = CopyRaw(value) };
            Apply(coded.Code, holder);
            result = holder[coded.Field];
            holder.Remove(coded.Field);
        }

        resource[coded.Field] = result;
    }

    // A typed value is a C# value in the current shape: it receives every version from the latest down to this one here,
    // then, from the payload, the older ones.
    private JsonNode? TypedValue(JsonNode? current, ApiVersion version)
    {
        Undo(current, _history.Versions.Where(v => v >= version).Reverse());
        return current;
    }

    private JsonObject Owner(JsonObject resource)
        => _owners.TryGetValue(resource, out var owner)
            ? owner
            : throw new InvalidOperationException("A typed computation met a resource no C# object wrote; the history generator should not make such histories.");

    private static bool Is(JsonObject resource, Res type) => OracleNames.FromObj(resource["object"]?.GetValue<string>()) == type;

    private List<JsonObject> Collect(JsonNode? root)
    {
        var found = new List<JsonObject>();
        void Walk(JsonNode? node)
        {
            if (node is JsonObject json)
            {
                if (_resources.Contains(json))
                {
                    found.Add(json);
                }

                foreach (var property in json)
                {
                    Walk(property.Value);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var item in array)
                {
                    Walk(item);
                }
            }
        }

        Walk(root);
        return found;
    }

    // The old name, in the same place.
    private static void Rename(JsonObject resource, string from, string to)
    {
        if (!resource.ContainsKey(from))
        {
            return;
        }

        var properties = resource.ToList();
        resource.Clear();
        foreach (var (key, value) in properties)
        {
            resource.Add(key == from ? to : key, value);
        }
    }

    /// <summary>A copy as JSON code makes it: resources stay resources (they name one), but no C# object wrote them.</summary>
    private JsonNode? CopyRaw(JsonNode? node) => Clone(node, owned: false);

    private JsonNode? Clone(JsonNode? node, bool owned)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject json:
                var copy = new JsonObject();
                foreach (var (key, value) in json)
                {
                    copy.Add(key, Clone(value, owned));
                }

                if (_resources.Contains(json))
                {
                    _resources.Add(copy);
                    if (owned && _owners.TryGetValue(json, out var owner))
                    {
                        _owners[copy] = owner;
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(i => Clone(i, owned))]);
            default:
                return node.DeepClone();
        }
    }

    // The JSON computations of removed fields, as the generated methods read.
    private JsonNode? Compute(JsonCalc calc, JsonObject o)
    {
        switch (calc)
        {
            case CopyOf copy:
                return CopyRaw(o[copy.Field]);
            case TextOf text:
                return JsonValue.Create(o[text.Field]?.ToJsonString() ?? "none");
            case IsFresh fresh:
                return JsonValue.Create(o[fresh.Field] is JsonValue v && v.TryGetValue(out string? s) && s == "fresh");
            case NestedOf nested:
                var first = nested.Shape switch
                {
                    Holds.One => o[nested.Relation] as JsonObject,
                    Holds.List => o[nested.Relation] is JsonArray { Count: > 0 } a ? a[0] as JsonObject : null,
                    _ => o[nested.Relation] is JsonObject e && e["data"] is JsonArray { Count: > 0 } d ? d[0] as JsonObject : null,
                };
                return first is null ? null : CopyRaw(first[nested.Field]);
            case ListOf list:
                var items = o[list.Relation] is JsonObject single ? new JsonArray(CopyRaw(single)) : [];
                return list.Envelope ? new JsonObject { ["object"] = "list", ["data"] = items } : items;
            default:
                throw new InvalidOperationException(calc.ToString());
        }
    }

    // The typed computations of removed fields, on the C# object's current-shape JSON.
    private JsonNode? Compute(TypedCalc calc, JsonObject r)
    {
        switch (calc)
        {
            case PropOf prop:
                return Clone(r[prop.Property.Name], owned: true);
            case NestedPropOf nested:
                var first = nested.Relation.Holds switch
                {
                    Holds.One => r[nested.Relation.Name] as JsonObject,
                    Holds.List => r[nested.Relation.Name] is JsonArray { Count: > 0 } a ? a[0] as JsonObject : null,
                    _ => r[nested.Relation.Name]!["data"] is JsonArray { Count: > 0 } d ? d[0] as JsonObject : null,
                };
                return first is null ? null : Clone(first[nested.Property.Name], owned: true);
            case ListOfProp list:
                var items = r[list.Relation.Name] is JsonObject single ? new JsonArray(Clone(single, owned: true)) : [];
                return list.Envelope
                    ? new JsonObject { ["object"] = "list", ["data"] = items, ["has_more"] = false, ["url"] = "/v1/list" }
                    : items;
            default:
                throw new InvalidOperationException(calc.ToString());
        }
    }

    // Typed code, on the property's current-shape JSON.
    private JsonNode? Compute(Typed typed, JsonNode? v)
    {
        switch (typed.Kind)
        {
            case TypedKind.NumberToText:
                return v!.GetValue<long>().ToString(CultureInfo.InvariantCulture);
            case TypedKind.FlagToNumber:
                return v!.GetValue<bool>() ? 1L : 0L;
            case TypedKind.TextSuffix:
                return v is null ? null : v.GetValue<string>() + typed.Tag;
            case TypedKind.ToneOlder:
                string tone = v!.GetValue<string>();
                return tone == "fresh" ? "older" : tone;
            case TypedKind.ToneName:
                string name = v!.GetValue<string>();
                return char.ToUpperInvariant(name[0]) + name[1..];
            case TypedKind.OneToId:
            case TypedKind.PartToId:
                return v is JsonObject one ? Clone(one["id"], owned: true) : null;
            case TypedKind.OneSame:
                return Clone(v, owned: true);
            case TypedKind.ListFirst:
                return new JsonArray([.. v!.AsArray().Take(1).Select(i => Clone(i, owned: true))]);
            case TypedKind.EnvelopeToList:
                return new JsonArray([.. v!["data"]!.AsArray().Select(i => Clone(i, owned: true))]);
            case TypedKind.PolyToId:
                return v is JsonObject poly ? Clone(poly["id"], owned: true) : Clone(v, owned: true);
            case TypedKind.MetadataCount:
                return v is JsonObject metadata ? (long)metadata.Count : 0L;
            default:
                throw new InvalidOperationException(typed.Kind.ToString());
        }
    }

    // JSON code, on the resource's JSON or on an object holding one field.
    private void Apply(Code code, JsonObject o)
    {
        switch (code)
        {
            case Stringify s:
                string? text = o[s.Field]?.ToJsonString();
                o[s.Field] = text;
                break;
            case Suffix s:
                o[s.Field] = o[s.Field] is JsonValue v && v.TryGetValue(out string? value) ? JsonValue.Create(value + s.Tag) : CopyRaw(o[s.Field]);
                break;
            case Concat c:
                o[c.Field] = (o[c.Field]?.ToJsonString() ?? "null") + "|" + (o[c.Other]?.ToJsonString() ?? "null");
                break;
            case IdOf i:
                o[i.Field] = o[i.Field] is JsonObject resource ? CopyRaw(resource["id"]) : CopyRaw(o[i.Field]);
                break;
            case SizeOf { Shape: Holds.Metadata } s:
                o[s.Field] = o[s.Field] is JsonObject m ? m.Count : 0;
                break;
            case SizeOf { Shape: Holds.List } s:
                o[s.Field] = o[s.Field] is JsonArray a ? a.Count : 0;
                break;
            case SizeOf s:
                o[s.Field] = o[s.Field] is JsonObject e && e["data"] is JsonArray d ? d.Count : 0;
                break;
            case Keep k:
                o[k.Field] = CopyRaw(o[k.Field]);
                break;
            default:
                throw new InvalidOperationException(code.ToString());
        }
    }
}
