using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using VersionKit.Benchmarks.History;

namespace VersionKit.Benchmarks;

// Every benchmark writes into one ArrayBufferWriter, reset before each render, through a new Utf8JsonWriter: exactly what
// ApiRenderer.Render(IBufferWriter, value, version) does, so that the baseline and VersionKit pay the same for the writer.

/// <summary>One charge (Stripe's example, 43 fields) through each kind of history: the goals of issue 10.</summary>
public class ChargeBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private Charge _charge = null!;
    private CodeCharge _codeCharge = null!;
    private JsonCodeCharge _jsonCodeCharge = null!;
    private ObjectCodeCharge _objectCodeCharge = null!;
    private ComputedCharge _computedCharge = null!;
    private QuietCharge _quietCharge = null!;
    private ApiRenderer _renderer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _charge = Payloads.Charge(Payloads.Json.Charge);
        _codeCharge = Payloads.Charge(Payloads.Json.CodeCharge);
        _jsonCodeCharge = Payloads.Charge(Payloads.Json.JsonCodeCharge);
        _objectCodeCharge = Payloads.Charge(Payloads.Json.ObjectCodeCharge);
        _computedCharge = Payloads.Charge(Payloads.Json.ComputedCharge);
        _quietCharge = Payloads.Charge(Payloads.Json.QuietCharge);
        _renderer = Payloads.Renderer;
    }

    /// <summary>The bytes of JSON the last benchmark wrote.</summary>
    public int Written() => _buffer.WrittenCount;

    /// <summary>The limit: source-generated System.Text.Json, the current shape.</summary>
    [Benchmark(Baseline = true)]
    public void Serialize()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _charge, Payloads.Json.Charge);
    }

    [Benchmark]
    public void Latest()
    {
        _buffer.ResetWrittenCount();
        _renderer.Render(_buffer, _charge, Payloads.VersionsBack(0));
    }

    /// <summary>Resource A, 100 versions back: 100 declarative changes.</summary>
    [Benchmark]
    public void Declarative100Back()
    {
        _buffer.ResetWrittenCount();
        _renderer.Render(_buffer, _charge, Payloads.VersionsBack(100));
    }

    /// <summary>Resource B, 100 versions back: 90 declarative changes and 10 typed code transformations, each on its one field.</summary>
    [Benchmark]
    public void TypedFieldCode100Back()
    {
        _buffer.ResetWrittenCount();
        _renderer.Render(_buffer, _codeCharge, Payloads.VersionsBack(100));
    }

    /// <summary>Resource B-json, 100 versions back: the changes of B, the code in its JSON form on its one field.</summary>
    [Benchmark]
    public void JsonFieldCode100Back()
    {
        _buffer.ResetWrittenCount();
        _renderer.Render(_buffer, _jsonCodeCharge, Payloads.VersionsBack(100));
    }

    /// <summary>Resource B', 100 versions back: the changes of B, the code running on the whole resource's JSON.</summary>
    [Benchmark]
    public void ObjectCode100Back()
    {
        _buffer.ResetWrittenCount();
        _renderer.Render(_buffer, _objectCodeCharge, Payloads.VersionsBack(100));
    }

    /// <summary>Resource E, 100 versions back: 90 declarative changes and 10 removed fields given back by typed computations.</summary>
    [Benchmark]
    public void TypedComputed100Back()
    {
        _buffer.ResetWrittenCount();
        _renderer.Render(_buffer, _computedCharge, Payloads.VersionsBack(100));
    }

    /// <summary>Resource A, 100 versions back, the naive way: a JsonNode DOM, every change applied in turn.</summary>
    [Benchmark]
    public void NaiveChain100Back()
    {
        _buffer.ResetWrittenCount();
        NaiveHistory.Render(_buffer, _charge, Payloads.Json.Charge, NaiveHistory.Charge, Payloads.Latest - 100);
    }

    /// <summary>Resource C at the latest version: no version lies between.</summary>
    [Benchmark]
    public void QuietLatest()
    {
        _buffer.ResetWrittenCount();
        _renderer.Render(_buffer, _quietCharge, Payloads.VersionsBack(0));
    }

    /// <summary>Resource C one version back: one version that does not touch it.</summary>
    [Benchmark]
    public void Quiet1Back()
    {
        _buffer.ResetWrittenCount();
        _renderer.Render(_buffer, _quietCharge, Payloads.VersionsBack(1));
    }

    /// <summary>Resource C 500 versions back: 500 versions that do not touch it.</summary>
    [Benchmark]
    public void Quiet500Back()
    {
        _buffer.ResetWrittenCount();
        _renderer.Render(_buffer, _quietCharge, Payloads.VersionsBack(500));
    }
}

/// <summary>The cost as the chain grows: resource D (one declarative change per version), 0 to 500 versions back.</summary>
public class VersionsBackBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private BusyCharge _charge = null!;
    private ApiVersion _version;

    [Params(0, 1, 10, 100, 500)]
    public int VersionsBack { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _charge = Payloads.Charge(Payloads.Json.BusyCharge);
        _version = Payloads.VersionsBack(VersionsBack);
    }

    [Benchmark(Baseline = true)]
    public void Serialize()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _charge, Payloads.Json.BusyCharge);
    }

    [Benchmark]
    public void VersionKit()
    {
        _buffer.ResetWrittenCount();
        Payloads.Renderer.Render(_buffer, _charge, _version);
    }

    [Benchmark]
    public void NaiveChain()
    {
        _buffer.ResetWrittenCount();
        NaiveHistory.Render(_buffer, _charge, Payloads.Json.BusyCharge, NaiveHistory.BusyCharge, Payloads.Latest - VersionsBack);
    }
}

/// <summary>The cost as the payload grows: Stripe's invoice with 1 to 1,000 line items, 100 versions back.</summary>
public class PayloadSizeBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024 * 1024);
    private Invoice _invoice = null!;

    [Params(1, 10, 100, 1000)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup() => _invoice = Payloads.Invoice(Lines);

    [Benchmark(Baseline = true)]
    public void Serialize()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _invoice, Payloads.Json.Invoice);
    }

    /// <summary>The invoice and its line items at 100 versions back: 10 declarative changes on each resource.</summary>
    [Benchmark]
    public void Declarative100Back()
    {
        _buffer.ResetWrittenCount();
        Payloads.Renderer.Render(_buffer, _invoice, Payloads.VersionsBack(100));
    }
}

/// <summary>A page of 100 events, each wrapping a charge (resource A): what <c>GET /v1/events?limit=100</c> returns.</summary>
public class EventListBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024 * 1024);
    private ApiList<Event> _events = null!;

    [GlobalSetup]
    public void Setup() => _events = Payloads.Events(100);

    [Benchmark(Baseline = true)]
    public void Serialize()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _events, Payloads.Json.ApiListEvent);
    }

    [Benchmark]
    public void Latest()
    {
        _buffer.ResetWrittenCount();
        Payloads.Renderer.Render(_buffer, _events, Payloads.VersionsBack(0));
    }

    /// <summary>100 versions back: 5 declarative changes on the events, 100 on the charges inside them.</summary>
    [Benchmark]
    public void Declarative100Back()
    {
        _buffer.ResetWrittenCount();
        Payloads.Renderer.Render(_buffer, _events, Payloads.VersionsBack(100));
    }
}

/// <summary>
/// Stripe's five real example objects (tests/VersionKit.Stripe) through Stripe's real history (StripeHistory, 15 changes),
/// rendered at its oldest version, 2014-05-19, against plain serialization of the same object with StripeJsonContext.
/// </summary>
public class StripeBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private StripePayload _payload = null!;

    [Params("charge", "customer", "invoice", "payment_intent", "subscription")]
    public string Object { get; set; } = "charge";

    [GlobalSetup]
    public void Setup() => _payload = StripePayload.Of(Object);

    /// <summary>The bytes of JSON the last benchmark wrote.</summary>
    public int Written() => _buffer.WrittenCount;

    /// <summary>The limit: source-generated System.Text.Json (StripeJsonContext), the current shape.</summary>
    [Benchmark(Baseline = true)]
    public void Serialize()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        _payload.Serialize(writer);
    }

    /// <summary>The same object at StripeHistory's oldest version, through VersionKit.</summary>
    [Benchmark]
    public void Oldest()
    {
        _buffer.ResetWrittenCount();
        _payload.Render(_buffer, StripePayload.Oldest);
    }
}
