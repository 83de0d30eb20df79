using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Xunit.Abstractions;

namespace VersionKit.Generators.Tests;

/// <summary>
/// Properties of random histories, end to end: CsCheck makes a random API (two resources, one nesting the other, and a
/// chain of dated changes, each valid where it stands in history), the real generator compiles it, and random payloads
/// rendered at every version must agree with the same changes applied by hand, by the simple reference below, which
/// shares no code with the generator or the renderer.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class HistoryPropertyTests(ITestOutputHelper output)
{
    [Fact]
    public void Rendering_a_random_history_at_any_version_is_its_changes_applied_by_hand()
        => Sample(HistorySpec.Any, histories: 12, payloads: 40, CheckRendering);

    [Fact]
    public void Requests_upgraded_from_a_response_rendered_at_any_version_come_back_to_the_current_shape_when_the_changes_are_renames()
        => Sample(HistorySpec.RenamesOnly, histories: 4, payloads: 25, CheckRoundTrip);

    // Each history is compiled once (the costly part) and then checked against many payloads.
    private void Sample(Gen<HistorySpec> gen, int histories, int payloads, Action<CompiledHistory, object> check)
        => gen.Sample(
            spec =>
            {
                using var history = CompiledHistory.Compile(spec);
                PayloadGen(history).Sample(payload => check(history, payload), iter: payloads, threads: 1, print: Describe);
            },
            iter: histories,
            threads: 1,
            print: spec => spec.Source,
            writeLine: output.WriteLine);

    private static void CheckRendering(CompiledHistory history, object payload)
    {
        string current = JsonSerializer.Serialize(payload, history.Options);
        Assert.Equal(current, history.Renderer.Render(payload, history.History.Latest));

        foreach (var version in history.History.Versions)
        {
            string rendered = history.Renderer.Render(payload, version);
            string byHand = history.Spec.ApplyByHand(JsonNode.Parse(current), version)!.ToJsonString();
            Assert.True(Normalize(rendered) == byHand, $"At {version}:\nrendered {rendered}\nby hand  {byHand}");

            foreach (var resource in Resources(JsonNode.Parse(rendered)))
            {
                string name = (string)resource["object"]!;
                var fields = resource.Select(p => p.Key).ToArray();
                Assert.Equal(history.Spec.FieldsAt(name, version), fields);
                Assert.Equal(history.History.GetFields(name, version), fields);
            }
        }
    }

    private static void CheckRoundTrip(CompiledHistory history, object payload)
    {
        if (payload is not { } thing || thing.GetType() != history.ThingType)
        {
            return;
        }

        var current = history.Renderer.RenderToNode(thing, history.History.Latest)!.AsObject();
        foreach (var version in history.History.Versions)
        {
            var old = history.Renderer.RenderToNode(thing, version)!.AsObject();
            history.History.UpgradeRequest(history.InputType, old, version);
            Assert.True(current.ToJsonString() == old.ToJsonString(), $"At {version}: {old.ToJsonString()} came back as it was not: {current.ToJsonString()}");
            Assert.NotNull(old.Deserialize(history.InputType, history.StrictOptions));
        }
    }

    private static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString();

    private static IEnumerable<JsonObject> Resources(JsonNode? node) => node switch
    {
        JsonObject json => (json["object"] is JsonValue value && value.GetValue<string>() is "thing" or "box" ? [json] : Enumerable.Empty<JsonObject>())
            .Concat(json.SelectMany(p => Resources(p.Value))),
        JsonArray array => array.SelectMany(Resources),
        _ => [],
    };

    private static string Describe(object payload) => payload.GetType().Name + " " + JsonSerializer.Serialize(payload, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    // Payloads are made from a list of random numbers read in turn, so that CsCheck shrinks them as it shrinks numbers.
    private static Gen<object> PayloadGen(CompiledHistory history)
        => Gen.Int[0, 1000].Array[8, 80].Select(numbers => new PayloadBuilder(history, numbers).Payload());

    private sealed class PayloadBuilder(CompiledHistory history, int[] numbers)
    {
        private static readonly string?[] Texts = ["fresh", "older", "x", "é ü \u2028", "", null];
        private int _next;

        private int Next() => numbers.Length == 0 ? 0 : numbers[_next++ % numbers.Length];

        public object Payload() => (Next() % 5) switch
        {
            0 or 1 => Thing(),
            2 => Box(),
            3 => new ApiList<object>([.. Enumerable.Range(0, Next() % 4).Select(_ => Next() % 2 == 0 ? Thing() : Box())], "/v1/things", Next() % 2 == 0),
            _ => new List<object> { Box(), Thing() },
        };

        private object Thing() => Make(history.ThingType, "th_");

        private object Box()
        {
            var box = Make(history.BoxType, "box_");
            history.BoxType.GetProperty("Item")!.SetValue(box, Next() % 3 == 0 ? null : Thing());
            var items = (System.Collections.IList)history.BoxType.GetProperty("Items")!.GetValue(box)!;
            for (int i = Next() % 3; i > 0; i--)
            {
                items.Add(Thing());
            }

            return box;
        }

        private object Make(Type type, string idPrefix)
        {
            object value = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties().Where(p => p.CanWrite))
            {
                object? field = property.Name == "Id" ? idPrefix + Next().ToString(CultureInfo.InvariantCulture)
                    : property.PropertyType == typeof(string) ? Texts[Next() % Texts.Length]
                    : property.PropertyType == typeof(long) ? (long)Next() - 500
                    : property.PropertyType == typeof(bool) ? Next() % 2 == 0
                    : property.GetValue(value);
                property.SetValue(value, field);
            }

            return value;
        }
    }
}

/// <summary>A random history compiled by the real generator and loaded, in an assembly context of its own that is unloaded after.</summary>
internal sealed class CompiledHistory : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private CompiledHistory(HistorySpec spec, AssemblyLoadContext context, Assembly assembly)
    {
        Spec = spec;
        _context = context;
        History = (ApiHistory)assembly.GetType("Prop.PropHistory")!.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        ThingType = assembly.GetType("Prop.Thing")!;
        BoxType = assembly.GetType("Prop.Box")!;
        InputType = assembly.GetType("Prop.ThingInput")!;
        Renderer = new ApiRenderer(History, Options);
    }

    public HistorySpec Spec { get; }

    public ApiHistory History { get; }

    public Type ThingType { get; }

    public Type BoxType { get; }

    public Type InputType { get; }

    public JsonSerializerOptions Options { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    // A request upgraded to the current shape binds with no field left over.
    public JsonSerializerOptions StrictOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };

    public ApiRenderer Renderer { get; }

    public static CompiledHistory Compile(HistorySpec spec)
    {
        var run = GeneratorHarness.Run(spec.Source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        using var image = new MemoryStream();
        var emitted = run.OutputCompilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("history-property", isCollectible: true);
        return new CompiledHistory(spec, context, context.LoadFromStream(image));
    }

    public void Dispose() => _context.Unload();
}

/// <summary>
/// A random history as data: the resources' current fields and the changes, each made valid by walking back from the
/// current shape (as the generator does); its C# source; and the reference that applies it by hand.
/// </summary>
internal sealed class HistorySpec
{
    private static readonly string[] Words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];

    private static readonly ApiVersion Initial = ApiVersion.Parse("2000-01-01");

    private readonly Dictionary<string, List<(string Name, string Type)>> _current;

    private HistorySpec(Dictionary<string, List<(string Name, string Type)>> current, List<Change> changes, bool requests)
    {
        _current = current;
        Changes = changes;
        Source = Write(requests);
    }

    public enum Kind
    {
        Renamed,
        Added,
        Removed,
        EnumValueAdded,
    }

    /// <summary>A change on one field of one resource. Renamed: Other is the old name. Removed: Value is what older versions get. EnumValueAdded: Value is the new value, Other the legacy one.</summary>
    public sealed record Change(ApiVersion Version, string Resource, Kind Kind, string Field, string? Other, JsonValue? Value);

    public List<Change> Changes { get; }

    public string Source { get; }

    public static Gen<HistorySpec> Any { get; } =
        from thingFields in Gen.Int[1, 5]
        from boxFields in Gen.Int[0, 3]
        from types in Gen.Int[0, 2].Array[8]
        from choices in Gen.Int[0, 1000].Array[3, 30]
        select Build(thingFields, boxFields, types, choices, renamesOnly: false);

    public static Gen<HistorySpec> RenamesOnly { get; } =
        from thingFields in Gen.Int[1, 5]
        from types in Gen.Int[0, 2].Array[8]
        from choices in Gen.Int[0, 1000].Array[3, 24]
        select Build(thingFields, 0, types, choices, renamesOnly: true);

    private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    private static HistorySpec Build(int thingFields, int boxFields, int[] types, int[] choices, bool renamesOnly)
    {
        static string TypeOf(int i) => i switch { 0 => "string", 1 => "long", _ => "bool" };
        var current = new Dictionary<string, List<(string Name, string Type)>>
        {
            ["thing"] = [("id", "string"), ("object", "string"), .. Enumerable.Range(0, thingFields).Select(i => (Words[i], TypeOf(types[i])))],
            ["box"] = [("id", "string"), ("object", "string"), .. Enumerable.Range(0, boxFields).Select(i => (Words[5 + i], TypeOf(types[5 + i]))), ("item", "thing"), ("items", "things")],
        };

        // Walk back from the current shapes, newest change first, choosing each change among those valid at that point.
        var state = current.ToDictionary(p => p.Key, p => p.Value.ToList());
        int count = choices.Length / 3;
        var versions = Enumerable.Range(1, count).Select(i =>
        {
            var date = Initial.Date.AddDays(i * 45);
            return ApiVersion.Parse(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (choices[(i - 1) * 3 + 2] % 5 == 0 ? ".rel" + i.ToString(CultureInfo.InvariantCulture) : string.Empty));
        }).ToArray();
        var changes = new List<Change>();
        for (int i = count - 1; i >= 0; i--)
        {
            int pick = choices[i * 3], which = choices[i * 3 + 1], value = choices[i * 3 + 2];
            string resource = renamesOnly || pick % 3 != 2 ? "thing" : "box";
            var fields = state[resource];
            var named = fields.Where(f => f.Name is not ("id" or "object")).ToList();
            var kind = renamesOnly ? Kind.Renamed : (Kind)(pick / 3 % 4);
            if (named.Count == 0 || (kind == Kind.EnumValueAdded && !named.Any(f => f.Type == "string")))
            {
                kind = Kind.Removed;
            }

            string suffix = i.ToString(CultureInfo.InvariantCulture);
            switch (kind)
            {
                case Kind.Renamed:
                    {
                        var field = named[which % named.Count];
                        string old = "was_" + field.Name.Split('_')[^1] + "_" + suffix;
                        fields[fields.IndexOf(field)] = (old, field.Type);
                        changes.Add(new Change(versions[i], resource, kind, field.Name, old, null));
                        break;
                    }

                case Kind.Added:
                    {
                        var field = named[which % named.Count];
                        fields.Remove(field);
                        changes.Add(new Change(versions[i], resource, kind, field.Name, null, null));
                        break;
                    }

                case Kind.Removed:
                    {
                        var restored = (value % 3) switch
                        {
                            0 => JsonValue.Create("legacy_" + suffix),
                            1 => JsonValue.Create(value),
                            _ => JsonValue.Create(value % 2 == 0),
                        };
                        string name = "gone_" + suffix;
                        fields.Add((name, restored.GetValueKind() == JsonValueKind.String ? "string" : "other"));
                        changes.Add(new Change(versions[i], resource, kind, name, null, restored));
                        break;
                    }

                default:
                    {
                        var texts = named.Where(f => f.Type == "string").ToList();
                        var field = texts[which % texts.Count];
                        changes.Add(new Change(versions[i], resource, kind, field.Name, "older", JsonValue.Create("fresh")));
                        break;
                    }
            }
        }

        changes.Reverse();
        return new HistorySpec(current, changes, requests: renamesOnly);
    }

    /// <summary>The fields of <paramref name="resource"/> at <paramref name="version"/>, by walking back through the changes' effects on names.</summary>
    public IReadOnlyList<string> FieldsAt(string resource, ApiVersion version)
    {
        var fields = _current[resource].Select(f => f.Name).ToList();
        foreach (var change in Changes.Where(c => c.Resource == resource && c.Version > version).Reverse())
        {
            switch (change.Kind)
            {
                case Kind.Renamed:
                    fields[fields.IndexOf(change.Field)] = change.Other!;
                    break;
                case Kind.Added:
                    fields.Remove(change.Field);
                    break;
                case Kind.Removed:
                    fields.Add(change.Field);
                    break;
            }
        }

        return fields;
    }

    /// <summary>The reference: every change newer than <paramref name="version"/>, newest first, applied to every resource object in the payload.</summary>
    public JsonNode? ApplyByHand(JsonNode? payload, ApiVersion version)
    {
        var objects = new List<JsonObject>();
        void Find(JsonNode? node)
        {
            if (node is JsonObject json)
            {
                if (json["object"] is JsonValue name && name.GetValue<string>() is "thing" or "box")
                {
                    objects.Add(json);
                }

                foreach (var property in json)
                {
                    Find(property.Value);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var item in array)
                {
                    Find(item);
                }
            }
        }

        Find(payload);
        foreach (var change in Changes.Where(c => c.Version > version).Reverse())
        {
            foreach (var json in objects.Where(o => (string)o["object"]! == change.Resource))
            {
                // The same nodes move to the rebuilt object (Clear detaches them), so nested resources found above stay the ones in the payload.
                var properties = json.Select(p => (p.Key, p.Value)).ToList();
                properties = change.Kind switch
                {
                    Kind.Renamed => [.. properties.Select(p => p.Key == change.Field ? (change.Other!, p.Value) : p)],
                    Kind.Added => [.. properties.Where(p => p.Key != change.Field)],
                    Kind.Removed => [.. properties, (change.Field, change.Value!.DeepClone())],
                    _ => [.. properties.Select(p => p.Key == change.Field && p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "fresh" ? (p.Key, JsonValue.Create(change.Other)) : p)],
                };
                json.Clear();
                foreach (var (key, value) in properties)
                {
                    json.Add(key, value);
                }
            }
        }

        return payload;
    }

    private string Write(bool requests)
    {
        var source = new StringBuilder();
        source.AppendLine("using System.Collections.Generic;");
        source.AppendLine("using VersionKit;");
        source.AppendLine("namespace Prop;");
        source.AppendLine("[ApiHistory(\"2000-01-01\", NamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]");
        source.AppendLine("public partial class PropHistory;");
        foreach (var (resource, type) in new[] { ("thing", "Thing"), ("box", "Box") })
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"[ApiResource(\"{resource}\")]");
            source.AppendLine(CultureInfo.InvariantCulture, $"public sealed class {type}");
            source.AppendLine("{");
            source.AppendLine("    public string Id { get; set; } = \"\";");
            source.AppendLine(CultureInfo.InvariantCulture, $"    public string Object => \"{resource}\";");
            foreach (var (name, fieldType) in _current[resource].Skip(2))
            {
                source.AppendLine(fieldType switch
                {
                    "string" => $"    public string? {Pascal(name)} {{ get; set; }}",
                    "thing" => $"    public Thing? {Pascal(name)} {{ get; set; }}",
                    "things" => $"    public List<Thing> {Pascal(name)} {{ get; set; }} = new();",
                    _ => $"    public {fieldType} {Pascal(name)} {{ get; set; }}",
                });
            }

            source.AppendLine("}");
        }

        source.AppendLine("public sealed class ThingInput");
        source.AppendLine("{");
        foreach (var (name, fieldType) in _current["thing"].Skip(2))
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"    public {(fieldType == "string" ? "string?" : fieldType)} {Pascal(name)} {{ get; set; }}");
        }

        source.AppendLine("}");
        for (int i = 0; i < Changes.Count; i++)
        {
            var change = Changes[i];
            string type = change.Resource == "thing" ? "Thing" : "Box";
            source.AppendLine(CultureInfo.InvariantCulture, $"[VersionChange(\"{change.Version}\", \"Change {i}.\")]");
            source.AppendLine(change.Kind switch
            {
                Kind.Renamed => $"[FieldRenamed(typeof({type}), \"{change.Other}\", \"{change.Field}\")]",
                Kind.Added => $"[FieldAdded(typeof({type}), \"{change.Field}\")]",
                Kind.Removed => $"[FieldRemoved(typeof({type}), \"{change.Field}\", Value = {change.Value!.ToJsonString()})]",
                _ => $"[EnumValueAdded(typeof({type}), \"{change.Field}\", \"fresh\", \"{change.Other}\")]",
            });
            if (requests && change.Kind == Kind.Renamed)
            {
                source.AppendLine(CultureInfo.InvariantCulture, $"[RequestFieldRenamed(typeof(ThingInput), \"{change.Other}\", \"{change.Field}\")]");
            }

            source.AppendLine(CultureInfo.InvariantCulture, $"public sealed class Change{i};");
        }

        return source.ToString();
    }
}
