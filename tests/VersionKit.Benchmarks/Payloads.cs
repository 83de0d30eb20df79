using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using VersionKit.Benchmarks.History;

namespace VersionKit.Benchmarks;

/// <summary>
/// The payloads, read from the Stripe example objects in Data/, and the renderers, made once per process and shared by
/// every benchmark class.
/// </summary>
public static class Payloads
{
    private static readonly string DataFolder = Path.Combine(AppContext.BaseDirectory, "Data");

    public static BenchmarkJsonContext Json => BenchmarkJsonContext.Default;

    public static ApiHistory History => BenchmarkHistory.Default;

    /// <summary>The index of the newest version: <c>Versions[Latest - n]</c> is <c>n</c> versions back.</summary>
    public static int Latest => History.Versions.Count - 1;

    public static ApiVersion VersionsBack(int count) => History.Versions[Latest - count];

    /// <summary>The compiled render path (the default), with the source-generated context's options.</summary>
    public static ApiRenderer Renderer { get; } = new(BenchmarkHistory.Default, BenchmarkJsonContext.Default.Options, RenderPath.Compiled);

    /// <summary>The reference chain, which every compiled render is checked against.</summary>
    public static ApiRenderer Reference { get; } = new(BenchmarkHistory.Default, BenchmarkJsonContext.Default.Options, RenderPath.Reference);

    public static JsonObject ChargeJson => Read("charge.json");

    public static T Charge<T>(JsonTypeInfo<T> typeInfo, string id = "ch_1PgafuB7WZ01zgkWXYmPNZs8")
    {
        var json = ChargeJson;
        json["id"] = id;
        return json.Deserialize(typeInfo)!;
    }

    /// <summary>Stripe's example invoice with <paramref name="lines"/> copies of its line item, each with its own id.</summary>
    public static Invoice Invoice(int lines)
    {
        var json = Read("invoice.json");
        var list = json["lines"]!["data"]!.AsArray();
        var line = list[0]!;
        list.Clear();
        for (int i = 0; i < lines; i++)
        {
            var copy = line.DeepClone();
            copy["id"] = $"il_{i:D6}";
            list.Add(copy);
        }

        return json.Deserialize(Json.Invoice)!;
    }

    /// <summary>A page of <paramref name="count"/> events (Stripe's example event), each about its own charge.</summary>
    public static ApiList<Event> Events(int count)
    {
        var events = new List<Event>(count);
        for (int i = 0; i < count; i++)
        {
            var json = Read("event.json");
            var charge = ChargeJson;
            charge["id"] = $"ch_{i:D6}";
            json["id"] = $"evt_{i:D6}";
            json["type"] = "charge.succeeded";
            json["data"] = new JsonObject { ["object"] = charge };
            events.Add(json.Deserialize(Json.Event)!);
        }

        return new ApiList<Event>(events, "/v1/events", hasMore: true);
    }

    public static JsonObject Read(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(DataFolder, file)))!.AsObject();

    /// <summary>The naive chain of a resource type.</summary>
    public static NaiveStep[] NaiveSteps<T>() => typeof(T).Name switch
    {
        nameof(Benchmarks.Charge) => NaiveHistory.Charge,
        nameof(Benchmarks.CodeCharge) => NaiveHistory.CodeCharge,
        nameof(Benchmarks.ObjectCodeCharge) => NaiveHistory.ObjectCodeCharge,
        nameof(Benchmarks.BusyCharge) => NaiveHistory.BusyCharge,
        _ => throw new ArgumentException($"No naive chain for {typeof(T).Name}."),
    };
}
