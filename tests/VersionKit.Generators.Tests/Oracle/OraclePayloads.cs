using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CsCheck;

namespace VersionKit.Generators.Tests.Oracle;

/// <summary>An oracle history compiled by the real generator and loaded in an assembly context of its own (unloaded after).</summary>
internal sealed class LoadedOracle : IDisposable
{
    private readonly AssemblyLoadContext _context;
    private readonly Assembly _assembly;

    private LoadedOracle(OracleHistory spec, AssemblyLoadContext context, Assembly assembly)
    {
        Spec = spec;
        _context = context;
        _assembly = assembly;
        History = (ApiHistory)assembly.GetType("Orc.OrcHistory")!.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Writers = new ApiRenderer(History, Options);
        Reference = new ApiRenderer(History, Options, RenderPath.Reference);
    }

    public OracleHistory Spec { get; }

    public ApiHistory History { get; }

    /// <summary>The app's options: snake_case names, and the C# enum written as a snake_case string.</summary>
    public JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public ApiRenderer Writers { get; }

    public ApiRenderer Reference { get; }

    public static LoadedOracle Compile(OracleHistory spec)
    {
        var run = GeneratorHarness.Run(spec.Source);
        Assert.True(run.GeneratorDiagnostics.IsEmpty, "The generator reported on a history valid by construction:\n" + string.Join("\n", run.GeneratorDiagnostics));
        Assert.Empty(run.CompilationErrors);
        using var image = new MemoryStream();
        var emitted = run.OutputCompilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("oracle-history", isCollectible: true);
        return new LoadedOracle(spec, context, context.LoadFromStream(image));
    }

    public Type Type(Res resource) => _assembly.GetType("Orc." + OracleNames.Cs(resource))!;

    public void Dispose() => _context.Unload();
}

/// <summary>
/// Random payloads of a loaded oracle history, made from a list of numbers read in turn (so that CsCheck shrinks them as
/// numbers): resources alone, nested three deep, in list envelopes, arrays and a dictionary beside a dictionary that looks
/// like a resource.
/// </summary>
internal sealed class OraclePayloads
{
    private static readonly string?[] Texts = ["fresh", "older", "ancient", "x", "é ü \u2028", "", null];

    private static readonly (string Key, string Value)[] Entries =
        [("object", "thing"), ("id", "th_1"), ("note", "fresh"), ("object", "leaf"), ("data", "x"), ("object", "box")];

    private readonly LoadedOracle _loaded;
    private readonly int[] _numbers;
    private int _next;

    private OraclePayloads(LoadedOracle loaded, int[] numbers)
    {
        _loaded = loaded;
        _numbers = numbers;
    }

    public static Gen<object> Gen(LoadedOracle loaded)
        => CsCheck.Gen.Int[0, 1000].Array[8, 120].Select(numbers => new OraclePayloads(loaded, numbers).Payload());

    /// <summary>
    /// The payload in the current shape (the app's serializer, nothing of VersionKit), with the JSON objects that C# resource
    /// objects wrote: found by walking the C# objects beside their JSON, so that a dictionary is never one.
    /// </summary>
    public static MarkedPayload Mark(object payload, JsonSerializerOptions options)
    {
        var json = JsonSerializer.SerializeToNode(payload, payload.GetType(), options);
        var resources = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        void Walk(object? value, JsonNode? node)
        {
            switch (value)
            {
                case null or string or IDictionary<string, string>:
                    return;
                case var _ when value.GetType().GetCustomAttribute<ApiResourceAttribute>() is not null:
                    var resource = (JsonObject)node!;
                    resources.Add(resource);
                    foreach (var property in value.GetType().GetProperties())
                    {
                        Walk(property.GetValue(value), resource[JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)]);
                    }

                    return;
                case IDictionary<string, object?> dictionary:
                    foreach (var (key, item) in dictionary)
                    {
                        Walk(item, node![key]);
                    }

                    return;
                case var _ when value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(ApiList<>):
                    Walk(value.GetType().GetProperty("Data")!.GetValue(value), node!["data"]);
                    return;
                case IEnumerable items:
                    int i = 0;
                    foreach (object? item in items)
                    {
                        Walk(item, node![i++]);
                    }

                    return;
            }
        }

        Walk(payload, json);
        return new MarkedPayload(json, resources);
    }

    private int Next() => _numbers.Length == 0 ? 0 : _numbers[_next++ % _numbers.Length];

    private object Payload() => (Next() % 9) switch
    {
        0 or 1 => Thing(),
        2 or 3 => Box(),
        4 => Leaf(),
        5 => new ApiList<object>([.. Enumerable.Range(0, Next() % 4).Select(_ => (Next() % 3) switch { 0 => Thing(), 1 => Box(), _ => Leaf() })], "/v1/things", Next() % 2 == 0),
        6 => new List<object> { Box(), Thing() },
        _ => new Dictionary<string, object?> { ["data"] = Next() % 2 == 0 ? Box() : Thing(), ["extra"] = Metadata() ?? [] },
    };

    private object Leaf() => Make(Res.Leaf, "lf_");

    private object Thing() => Make(Res.Thing, "th_");

    private object Box() => Make(Res.Box, "box_");

    // Null, or up to four entries, often an "object" naming one of the resources.
    private Dictionary<string, string>? Metadata()
        => Next() % 4 == 0 ? null : Entries.Skip(Next() % Entries.Length).Take(Next() % 5).DistinctBy(e => e.Key).ToDictionary(e => e.Key, e => e.Value);

    private object Make(Res resource, string idPrefix)
    {
        var type = _loaded.Type(resource);
        object value = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.CanWrite))
        {
            var t = property.PropertyType;
            object? field = property.Name == "Id" ? idPrefix + Next().ToString(CultureInfo.InvariantCulture)
                : t == typeof(string) ? Texts[Next() % Texts.Length]
                : t == typeof(long) ? (long)Next() - 500
                : t == typeof(bool) ? Next() % 2 == 0
                : t.IsEnum ? Enum.ToObject(t, Next() % 3)
                : t == typeof(Dictionary<string, string>) ? Metadata()
                : t == _loaded.Type(Res.Leaf) ? Maybe(Leaf)
                : t == _loaded.Type(Res.Thing) ? Maybe(Thing)
                : t.IsAbstract ? Maybe(Leaf)
                : t == typeof(object) ? (Next() % 4) switch { 0 => null, 1 => Thing(), 2 => Leaf(), _ => "th_" + Next().ToString(CultureInfo.InvariantCulture) }
                : t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) ? Items(t.GetGenericArguments()[0])
                : t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ApiList<>) ? Activator.CreateInstance(t, Items(t.GetGenericArguments()[0]), "/v1/list", Next() % 2 == 0)
                : throw new InvalidOperationException($"No value for {type.Name}.{property.Name} of {t}.");
            property.SetValue(value, field);
        }

        return value;
    }

    private object? Maybe(Func<object> make) => Next() % 3 == 0 ? null : make();

    private IList Items(Type item)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
        for (int i = Next() % 3; i > 0; i--)
        {
            list.Add(item == _loaded.Type(Res.Leaf) ? Leaf() : Thing());
        }

        return list;
    }
}
