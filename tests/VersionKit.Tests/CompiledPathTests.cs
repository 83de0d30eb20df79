using System.Text.Json;
using System.Text.Json.Nodes;

namespace VersionKit.Tests;

/// <summary>The compiled render path, held equal to the reference chain on the same inputs at every version.</summary>
public class CompiledPathTests
{
    private static readonly JsonSerializerOptions Reflection = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static TheoryData<string> Options => new() { "reflection", "source-generated" };

    private static (ApiRenderer Compiled, ApiRenderer Reference) Renderers(string options)
    {
        var serializer = options == "reflection" ? Reflection : TestJsonContext.Default.Options;
        return (new ApiRenderer(WidgetHistory.Default, serializer, RenderPath.Compiled), new ApiRenderer(WidgetHistory.Default, serializer, RenderPath.Reference));
    }

    private static IEnumerable<object> Payloads()
    {
        yield return new Widget();
        yield return new Widget { Color = "red", Size = 3, Label = "Gear \"quoted\"" };
        yield return new Gadget();
        yield return new Gadget { Primary = null, Spares = null, Parts = [] };
        yield return new ApiList<Gadget>([new Gadget(), new Gadget { Id = "gad_2" }], "/v1/gadgets", hasMore: true);
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void Every_payload_renders_the_same_both_ways_at_every_version(string options)
    {
        var (compiled, reference) = Renderers(options);
        foreach (var version in WidgetHistory.Default.Versions)
        {
            foreach (var payload in Payloads())
            {
                Assert.Equal(reference.Render(payload, version), compiled.Render(payload, version));
            }
        }
    }

    [Fact]
    public void Raw_json_inside_a_payload_is_rendered_at_the_version_too()
    {
        var (compiled, reference) = Renderers("reflection");
        var widget = JsonSerializer.SerializeToElement(new Widget(), Reflection);
        var payload = new Dictionary<string, object> { ["element"] = widget, ["node"] = JsonNode.Parse(widget.GetRawText())! };
        foreach (var version in WidgetHistory.Default.Versions)
        {
            Assert.Equal(reference.Render(payload, version), compiled.Render(payload, version));
        }

        var old = JsonNode.Parse(compiled.Render(payload, WidgetHistory.Default.InitialVersion))!;
        Assert.Equal("Sprocket", (string?)old["element"]!["title"]);
        Assert.Equal("Sprocket", (string?)old["node"]!["title"]);
        Assert.Equal("Sprocket", (string?)((JsonNode)payload["node"])["label"]);
    }

    [Fact]
    public void A_code_step_that_throws_surfaces_the_same_error_on_the_compiled_path()
    {
        var (compiled, _) = Renderers("reflection");
        var broken = new JsonObject { ["id"] = "gad_1", ["object"] = "gadget", ["owner"] = "not an object" };
        var error = Assert.Throws<RenderException>(() => compiled.Render(broken, WidgetHistory.Default.InitialVersion));
        Assert.Equal(typeof(ExpandOwner), error.ChangeType);
    }

    [Fact]
    public void A_randomized_history_of_payload_values_renders_the_same_both_ways()
    {
        var (compiled, reference) = Renderers("reflection");
        var random = new Random(20261124);
        string[] colors = ["teal", "blue", "red", "green"];
        for (int i = 0; i < 200; i++)
        {
            var widget = new Widget { Id = "wid_" + i, Color = colors[random.Next(colors.Length)], Size = random.Next(0, 30), Label = random.Next(3) == 0 ? "" : "L" + i };
            var gadget = new Gadget { Primary = random.Next(2) == 0 ? null : widget, Parts = [.. Enumerable.Repeat(widget, random.Next(0, 4))] };
            var version = WidgetHistory.Default.Versions[random.Next(WidgetHistory.Default.Versions.Count)];
            Assert.Equal(reference.Render(gadget, version), compiled.Render(gadget, version));
        }
    }
}
