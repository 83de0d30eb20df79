using System.Buffers;
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
        nameof(Benchmarks.JsonCodeCharge) => NaiveHistory.JsonCodeCharge,
        nameof(Benchmarks.ObjectCodeCharge) => NaiveHistory.ObjectCodeCharge,
        nameof(Benchmarks.ComputedCharge) => NaiveHistory.ComputedCharge,
        nameof(Benchmarks.BusyCharge) => NaiveHistory.BusyCharge,
        _ => throw new ArgumentException($"No naive chain for {typeof(T).Name}."),
    };
}

/// <summary>
/// One of Stripe's five example objects (tests/VersionKit.Stripe), its plain serialization and its render through
/// StripeHistory. Both go through one virtual call, so that the case and its baseline pay the same to reach the object.
/// </summary>
public abstract class StripePayload
{
    public static readonly string[] Objects = ["charge", "customer", "invoice", "payment_intent", "subscription"];

    /// <summary>The renderer of Stripe's history with StripeJsonContext's options, as an app with that context makes it.</summary>
    public static ApiRenderer Renderer { get; } = new(Stripe.StripeHistory.Default, Stripe.StripeCorpus.JsonOptions, RenderPath.Compiled);

    /// <summary>The reference chain of the same history, which the writers are checked against.</summary>
    public static ApiRenderer Reference { get; } = new(Stripe.StripeHistory.Default, Stripe.StripeCorpus.JsonOptions, RenderPath.Reference);

    /// <summary>StripeHistory's oldest version, 2014-05-19: every change undone.</summary>
    public static ApiVersion Oldest => Stripe.StripeHistory.Default.Versions[0];

    public static StripePayload Of(string objectName) => objectName switch
    {
        "charge" => new Typed<Stripe.Charge>(Stripe.StripeCorpus.Charge(), Stripe.StripeJsonContext.Default.Charge),
        "customer" => new Typed<Stripe.Customer>(Stripe.StripeCorpus.Customer(), Stripe.StripeJsonContext.Default.Customer),
        "invoice" => new Typed<Stripe.Invoice>(Stripe.StripeCorpus.Invoice(), Stripe.StripeJsonContext.Default.Invoice),
        "payment_intent" => new Typed<Stripe.PaymentIntent>(Stripe.StripeCorpus.PaymentIntent(), Stripe.StripeJsonContext.Default.PaymentIntent),
        "subscription" => new Typed<Stripe.Subscription>(Stripe.StripeCorpus.Subscription(), Stripe.StripeJsonContext.Default.Subscription),
        _ => throw new ArgumentException($"Stripe's corpus has no '{objectName}'.", nameof(objectName)),
    };

    /// <summary>Plain source-generated serialization of the object, its current shape.</summary>
    public abstract void Serialize(Utf8JsonWriter writer);

    /// <summary>The object rendered at <paramref name="version"/> by <see cref="Renderer"/>.</summary>
    public abstract void Render(IBufferWriter<byte> output, ApiVersion version);

    /// <summary>The object rendered at <paramref name="version"/> by <paramref name="renderer"/>, as a string.</summary>
    public abstract string RenderText(ApiRenderer renderer, ApiVersion version);

    /// <summary>Plain serialization, as a string.</summary>
    public abstract string SerializeText();

    private sealed class Typed<T>(T value, JsonTypeInfo<T> typeInfo) : StripePayload
    {
        public override void Serialize(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, value, typeInfo);

        public override void Render(IBufferWriter<byte> output, ApiVersion version) => Renderer.Render(output, value, version);

        public override string RenderText(ApiRenderer renderer, ApiVersion version) => renderer.Render(value, version);

        public override string SerializeText() => JsonSerializer.Serialize(value, typeInfo);
    }
}
