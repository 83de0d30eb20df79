using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VersionKit.Tests;

// A history that exercises every instruction, nesting, and a code transformation:
//   2020-01-01 widget.title renamed to name            2021-01-01 widget.color gains "teal" (was "blue")
//   2022-01-01 widget.size added                        2023-01-01 widget.legacy_code removed (constant), widget.heavy removed (computed)
//   2024-01-01 gadget.owner from string to object (code) 2024-06-01 LegacyPricing, a side effect
//   2025-01-01 widget.name renamed to label (a second rename of the same field)
[ApiHistory("2019-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial class WidgetHistory;

[ApiResource("widget")]
public sealed class Widget
{
    public string Id { get; init; } = "wid_1";

    public string Object => "widget";

    public string Label { get; init; } = "Sprocket";

    public string Color { get; init; } = "teal";

    public int Size { get; init; } = 12;
}

public sealed class Owner
{
    public string Id { get; init; } = "own_1";

    public string Email { get; init; } = "owner@example.com";
}

[ApiResource("gadget")]
public sealed class Gadget
{
    public string Id { get; init; } = "gad_1";

    public string Object => "gadget";

    public Owner Owner { get; init; } = new();

    public Widget? Primary { get; init; } = new();

    public IReadOnlyList<Widget> Parts { get; init; } = [new() { Id = "wid_2", Color = "red" }, new() { Id = "wid_3" }];

    public ApiList<Widget>? Spares { get; init; } = new([new() { Id = "wid_4" }], "/v1/widgets");

    [JsonIgnore]
    public string Secret { get; init; } = "never rendered";
}

public sealed record CreateWidget(string? Label, string? Color);

public sealed record CreateGadget(JsonObject? Owner);

[VersionChange("2020-01-01", "`title` is now `name`.")]
[FieldRenamed(typeof(Widget), "title", "name")]
[RequestFieldRenamed(typeof(CreateWidget), "title", "name")]
public sealed class RenameTitle;

[VersionChange("2021-01-01", "`color` can be `teal`; older versions see `blue`.")]
[EnumValueAdded(typeof(Widget), "color", "teal", "blue")]
public sealed class AddTeal;

[VersionChange("2022-01-01", "Widgets have a `size`.")]
[FieldAdded(typeof(Widget), "size")]
public sealed class AddSize;

[VersionChange("2023-01-01", "`legacy_code` and `heavy` are gone.")]
[FieldRemoved(typeof(Widget), "legacy_code", Value = "none")]
[FieldRemoved(typeof(Widget), "heavy", ValueFrom = nameof(HeavyFromSize), ValueFromField = "size")]
[RequestFieldRemoved(typeof(CreateWidget), "legacy_code")]
public sealed class RemoveLegacyFields
{
    // Sees the widget as it is after the change, so it can read 'size' although 2022 hides it later on the way back.
    public static JsonNode? HeavyFromSize(JsonObject widget) => widget["size"] is { } size && size.GetValue<int>() > 10;
}

[VersionChange("2024-01-01", "`owner` is an object with `id` and `email`, no longer the owner's id.")]
[FieldTypeChanged(typeof(Gadget), "owner", "string", "object")]
public sealed class ExpandOwner
{
    [BackwardTransform(typeof(Gadget), Field = "owner")]
    public static void CollapseOwner(JsonObject gadget) => gadget["owner"] = gadget["owner"]?["id"]?.DeepClone();

    [RequestTransform(typeof(CreateGadget))]
    public static void ExpandOwnerId(JsonObject request)
        => request["owner"] = request["owner"] switch
        {
            null => null,
            // "boom" makes the code fail as code can, with .NET's own text: the caller must not read it.
            JsonValue id when id.TryGetValue(out string? text) => text == "boom" ? throw new InvalidOperationException("internal detail") : new JsonObject { ["id"] = text },
            _ => throw new RequestShapeException("owner", "owner must be the owner's id, a string."),
        };
}

[VersionChange("2024-06-01", "Prices are computed the new way.", HasSideEffects = true)]
public sealed class LegacyPricing;

[VersionChange("2025-01-01", "`name` is now `label`.")]
[FieldRenamed(typeof(Widget), "name", "label")]
[RequestFieldRenamed(typeof(CreateWidget), "name", "label")]
public sealed class RenameName;

// The request surface: a request type no change names ([ApiRequest]), request objects in a list and in a dictionary's
// values, a free-form dictionary, and numbers and booleans of every kind.
[ApiRequest]
public sealed record CreateOrder(
    IReadOnlyList<LineItem>? Items,
    Dictionary<string, LineItem>? Gifts,
    Dictionary<string, string>? Metadata,
    long? Total,
    byte? Priority,
    decimal? Discount,
    bool? Rush);

public sealed record LineItem(string? Sku, int? Quantity);

[VersionChange("2022-01-01", "Line items take `sku` where they took `product`; orders can be `rush`.")]
[RequestFieldRenamed(typeof(LineItem), "product", "sku")]
[RequestFieldAdded(typeof(CreateOrder), "rush")]
public sealed class OrderRequests;
