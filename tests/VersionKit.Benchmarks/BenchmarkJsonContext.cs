using System.Text.Json.Serialization;

namespace VersionKit.Benchmarks;

/// <summary>
/// The source-generated serializer of every payload: the baseline serializes with it, and the renderer gets its options,
/// as an app that uses a source-generated context gives them.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Charge))]
[JsonSerializable(typeof(CodeCharge))]
[JsonSerializable(typeof(JsonCodeCharge))]
[JsonSerializable(typeof(ObjectCodeCharge))]
[JsonSerializable(typeof(ComputedCharge))]
[JsonSerializable(typeof(QuietCharge))]
[JsonSerializable(typeof(BusyCharge))]
[JsonSerializable(typeof(Invoice))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(ApiList<Event>))]
// What typed code returns that no resource holds: resource B's bool? (refunds collapsed into has_more), resource E's
// double, int and long?; an app's context must know every type its typed changes return.
[JsonSerializable(typeof(bool?))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long?))]
public sealed partial class BenchmarkJsonContext : JsonSerializerContext;
