using System.Text.Json.Serialization;

namespace VersionKit.Tests;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Gadget))]
[JsonSerializable(typeof(Widget))]
[JsonSerializable(typeof(ApiList<Widget>))]
[JsonSerializable(typeof(ApiList<Gadget>))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
