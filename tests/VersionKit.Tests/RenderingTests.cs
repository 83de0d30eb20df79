using System.Text.Json;
using System.Text.Json.Nodes;

namespace VersionKit.Tests;

public class RenderingTests
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly ApiRenderer Renderer = new(WidgetHistory.Default, Options);

    private static JsonObject RenderWidget(string version, Widget? widget = null)
        => (JsonObject)JsonNode.Parse(Renderer.Render(widget ?? new Widget(), ApiVersion.Parse(version)))!;

    private static string[] Keys(JsonObject json) => [.. json.Select(p => p.Key)];

    [Fact]
    public void The_history_lists_every_version_oldest_first()
    {
        Assert.Equal(
            ["2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01", "2024-06-01", "2025-01-01"],
            WidgetHistory.Default.Versions.Select(v => v.ToString()));
        Assert.Equal(ApiVersion.Parse("2025-01-01"), WidgetHistory.Default.Latest);
        Assert.Equal(ApiVersion.Parse("2019-01-01"), WidgetHistory.Default.InitialVersion);
    }

    [Fact]
    public void Latest_version_renders_the_current_shape_as_System_Text_Json_writes_it()
    {
        var widget = new Widget();
        Assert.Equal(JsonSerializer.Serialize(widget, Options), Renderer.Render(widget, WidgetHistory.Default.Latest));
    }

    [Fact]
    public void A_rename_gives_older_versions_the_old_name_in_the_same_place()
    {
        Assert.Equal(["id", "object", "name", "color", "size"], Keys(RenderWidget("2024-06-01")));
        Assert.Equal("Sprocket", RenderWidget("2024-06-01")["name"]!.GetValue<string>());
    }

    [Fact]
    public void Two_renames_of_one_field_apply_newest_first()
    {
        var json = RenderWidget("2019-01-01");
        Assert.Equal("Sprocket", json["title"]!.GetValue<string>());
        Assert.False(json.ContainsKey("name"));
        Assert.False(json.ContainsKey("label"));
    }

    [Fact]
    public void An_added_enum_value_maps_to_its_legacy_value_only_before_the_change()
    {
        Assert.Equal("teal", RenderWidget("2021-01-01")["color"]!.GetValue<string>());
        Assert.Equal("blue", RenderWidget("2020-01-01")["color"]!.GetValue<string>());
        Assert.Equal("red", RenderWidget("2020-01-01", new Widget { Color = "red" })["color"]!.GetValue<string>());
    }

    [Fact]
    public void An_added_field_is_hidden_from_older_versions()
    {
        Assert.True(RenderWidget("2022-01-01").ContainsKey("size"));
        Assert.False(RenderWidget("2021-01-01").ContainsKey("size"));
    }

    [Fact]
    public void A_removed_field_comes_back_with_its_constant_or_computed_value()
    {
        var before = RenderWidget("2022-01-01", new Widget { Size = 40 });
        Assert.Equal("none", before["legacy_code"]!.GetValue<string>());
        Assert.True(before["heavy"]!.GetValue<bool>());
        Assert.False(RenderWidget("2022-01-01", new Widget { Size = 3 })["heavy"]!.GetValue<bool>());
        Assert.False(RenderWidget("2023-01-01").ContainsKey("heavy"));
    }

    [Fact]
    public void Every_change_newer_than_the_target_applies_in_order()
    {
        var json = RenderWidget("2019-01-01", new Widget { Size = 40, Color = "teal" });
        Assert.Equal(["id", "object", "title", "color", "legacy_code", "heavy"], Keys(json));
        Assert.Equal("blue", json["color"]!.GetValue<string>());
        Assert.True(json["heavy"]!.GetValue<bool>());
    }

    [Fact]
    public void A_code_transformation_turns_the_new_type_into_the_old()
    {
        var gadget = (JsonObject)Renderer.RenderToNode(new Gadget(), ApiVersion.Parse("2023-01-01"))!;
        Assert.Equal("own_1", gadget["owner"]!.GetValue<string>());
        var current = (JsonObject)Renderer.RenderToNode(new Gadget(), ApiVersion.Parse("2024-01-01"))!;
        Assert.Equal("owner@example.com", current["owner"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public void Nested_resources_in_properties_arrays_and_list_envelopes_are_rendered_at_the_version()
    {
        var gadget = (JsonObject)Renderer.RenderToNode(new Gadget(), ApiVersion.Parse("2019-01-01"))!;
        JsonObject[] widgets =
        [
            (JsonObject)gadget["primary"]!,
            (JsonObject)gadget["parts"]![0]!,
            (JsonObject)gadget["parts"]![1]!,
            (JsonObject)gadget["spares"]!["data"]![0]!,
        ];
        foreach (var widget in widgets)
        {
            Assert.Equal(["id", "object", "title", "color", "legacy_code", "heavy"], Keys(widget));
        }

        Assert.Equal("red", widgets[1]["color"]!.GetValue<string>());
        Assert.Equal("blue", widgets[2]["color"]!.GetValue<string>());
        Assert.Equal("list", gadget["spares"]!["object"]!.GetValue<string>());
        Assert.False(gadget.ContainsKey("secret"));
    }

    [Fact]
    public void A_payload_that_is_only_a_list_of_resources_is_rendered_too()
    {
        var list = new ApiList<Widget>([new Widget(), new Widget { Id = "wid_9" }], "/v1/widgets");
        var json = (JsonObject)JsonNode.Parse(Renderer.Render(list, ApiVersion.Parse("2020-01-01")))!;
        Assert.All(json["data"]!.AsArray(), item => Assert.Equal("Sprocket", item!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Objects_that_are_not_resources_are_left_alone()
    {
        var payload = new JsonObject { ["object"] = "unknown", ["label"] = "x", ["color"] = "teal" };
        Renderer.Transform(payload, ApiVersion.Parse("2019-01-01"));
        Assert.Equal("""{"object":"unknown","label":"x","color":"teal"}""", payload.ToJsonString());
    }

    [Fact]
    public void The_field_sets_per_version_match_what_rendering_produces()
    {
        foreach (var version in WidgetHistory.Default.Versions)
        {
            Assert.Equal(WidgetHistory.Default.GetFields("widget", version), Keys(RenderWidget(version.ToString())));
            var gadget = (JsonObject)Renderer.RenderToNode(new Gadget(), version)!;
            Assert.Equal(WidgetHistory.Default.GetFields("gadget", version), Keys(gadget));
        }
    }

    [Fact]
    public void A_version_outside_the_history_is_refused_with_the_valid_versions()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Renderer.Render(new Widget(), ApiVersion.Parse("2019-06-01")));
        Assert.Contains("2019-06-01 is not a version of WidgetHistory", error.Message, StringComparison.Ordinal);
        Assert.Contains("2024-06-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_that_name_fields_differently_are_refused_when_the_renderer_is_made()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ApiRenderer(WidgetHistory.Default, new JsonSerializerOptions()));
        Assert.Contains("SnakeCaseLower", error.Message, StringComparison.Ordinal);
        Assert.Contains("Widget serializes as [Color, Id, Label, Object, Size]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_generated_serializer_context_renders_like_reflection()
    {
        var generated = new ApiRenderer(WidgetHistory.Default, TestJsonContext.Default.Options);
        foreach (var version in WidgetHistory.Default.Versions)
        {
            Assert.Equal(Renderer.Render(new Gadget(), version), generated.Render(new Gadget(), version));
        }
    }
}
