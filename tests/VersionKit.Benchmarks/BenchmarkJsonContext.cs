using System.Text.Json.Serialization;

namespace VersionKit.Benchmarks;

/// <summary>
/// The source-generated serializer of every payload: the baseline serializes with it, and the renderer gets its options,
/// as an app that uses a source-generated context gives them.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Charge))]
[JsonSerializable(typeof(CodeCharge))]
[JsonSerializable(typeof(ObjectCodeCharge))]
[JsonSerializable(typeof(QuietCharge))]
[JsonSerializable(typeof(BusyCharge))]
[JsonSerializable(typeof(Invoice))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(ApiList<Event>))]
public sealed partial class BenchmarkJsonContext : JsonSerializerContext;
