namespace VersionKit.Generators.Tests;

/// <summary>
/// Where the differential oracle (<see cref="OraclePropertyTests"/>) found the runtime at odds with section 2 of
/// docs/architecture.md ("What a history means"), each reduced to a minimal history and held fixed. Findings 1, 3, 4, 5
/// and 7 were the runtime against the text (resources found by type, owners kept through code on whole resources, fields
/// searched by the shape at the version); finding 2 made section 2 say what code sees of nested resources; finding 6 (the
/// paths disagreed where section 2 was silent) is a diagnostic now, VK0021.
/// </summary>
public sealed class OracleFindings
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Text.Json.Nodes;
        using System.Text.Json.Serialization;
        using VersionKit;

        """;

    // Finding 1. Resources are found by type: a dictionary value is never one, and a resource a C# object wrote keeps it for
    // typed computations. The reference chain renders a payload whose type only System.Text.Json knows (a dictionary of
    // objects) as raw JSON: it cannot run a typed computation on the real thing (RenderException "this 'thing' is raw
    // JSON"), and without that computation it gives the dictionary value {"object":"thing"} the thing's `legacy`. The writers
    // render both right.
    private const string DictionaryPayload = Usings + """
        namespace F1;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class H;

        [ApiResource("thing")]
        public sealed class Thing
        {
            public string Id { get; set; } = "th_1";
            public string Object => "thing";
            public string Name { get; set; } = "n";
        }

        [VersionChange("2021-01-01", "Things lost `legacy` and `shout`.")]
        [FieldRemoved(typeof(Thing), "legacy", Value = 1)]
        [FieldRemoved(typeof(Thing), "shout", ValueFrom = nameof(Shout))]
        public sealed class Trim
        {
            public static string Shout(Thing thing) => thing.Name + "!";
        }
        """;

    [Fact]
    public void A_dictionary_of_objects_is_rendered_by_type_on_both_paths()
    {
        using var source = LoadedSource.Compile(DictionaryPayload, "F1.H");
        var payload = new Dictionary<string, object?>
        {
            ["data"] = source.New("F1.Thing"),
            ["extra"] = new Dictionary<string, string> { ["object"] = "thing" },
        };
        const string Expected = """{"data":{"id":"th_1","object":"thing","name":"n","legacy":1,"shout":"n!"},"extra":{"object":"thing"}}""";

        Assert.Equal(Expected, source.Writers.Render(payload, source.Version("2020-01-01")));
        Assert.Equal(Expected, source.Reference.Render(payload, source.Version("2020-01-01")));
    }

    // Finding 2. "The version's code runs: its changes newest first, each change's [BackwardTransform] methods in source
    // order, on every resource they name." Here one change has code on the thing, then code on the box that reads the
    // thing: read in source order, the box's code would see the thing's code done. Both paths hand the box's code the thing
    // as it was before any code of the version ran (also across changes of one version, by Order, and for code on one field
    // that copies or reads a nested resource), which is what a writer can do without rendering a resource twice.
    private const string CodeOrder = Usings + """
        namespace F2;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class H;

        [ApiResource("thing")]
        public sealed class Thing
        {
            public string Id { get; set; } = "th_1";
            public string Object => "thing";
            public string Name { get; set; } = "n";
        }

        [ApiResource("box")]
        public sealed class Box
        {
            public string Id { get; set; } = "box_1";
            public string Object => "box";
            public Thing Item { get; set; } = new();
        }

        [VersionChange("2021-01-01", "Things were named `old`; boxes showed their item's name.")]
        public sealed class Flatten
        {
            [BackwardTransform(typeof(Thing))]
            public static void OldName(JsonObject thing) => thing["name"] = "old";

            [BackwardTransform(typeof(Box))]
            public static void ItemName(JsonObject box) => box["item"] = box["item"]?["name"]?.DeepClone();
        }
        """;

    // Section 2 now says it: code on a resource sees the resources nested in it as they were at the version, so that every
    // path can honour it (a writer hands field code the field written at the version).
    [Fact]
    public void Code_on_a_resource_sees_nested_resources_as_they_were_at_the_version()
    {
        using var source = LoadedSource.Compile(CodeOrder, "F2.H");
        object box = source.New("F2.Box");
        const string Expected = """{"id":"box_1","object":"box","item":"n"}""";

        Assert.Equal(Expected, source.Writers.Render(box, source.Version("2020-01-01")));
        Assert.Equal(Expected, source.Reference.Render(box, source.Version("2020-01-01")));
    }

    // Finding 3. "Inside a resource only the fields that can hold one are searched, so a metadata dictionary is never taken
    // for a resource." Once some change (here an older one) has JSON code on the dictionary field, the reference chain
    // searches it at every newer version and gives the dictionary {"object":"thing"} the thing's restored field. The
    // writers agree until they hand the resource to the chain (code on the whole resource, second case).
    private const string CodeOnDictionary = Usings + """
        namespace F3;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class H;

        [ApiResource("thing")]
        public sealed class Thing
        {
            public string Id { get; set; } = "th_1";
            public string Object => "thing";
            public string Name { get; set; } = "n";
            public Dictionary<string, string>? Metadata { get; set; } = new() { ["object"] = "thing" };
        }

        [VersionChange("2021-01-01", "Metadata was a count.")]
        [FieldTypeChanged(typeof(Thing), "metadata", "integer", "object")]
        public sealed class CountMetadata
        {
            [BackwardTransform(typeof(Thing), Field = "metadata")]
            public static void Count(JsonObject thing) => thing["metadata"] = thing["metadata"] is JsonObject m ? m.Count : 0;
        }

        [VersionChange("2022-01-01", "Things lost `legacy`.")]
        [FieldRemoved(typeof(Thing), "legacy", Value = 1)]
        public sealed class Trim
        {
            WHOLE
        }
        """;

    [Fact]
    public void A_dictionary_field_with_code_on_it_is_not_searched_for_resources()
    {
        using var source = LoadedSource.Compile(CodeOnDictionary.Replace("WHOLE", "", StringComparison.Ordinal), "F3.H");
        object thing = source.New("F3.Thing");
        const string Expected = """{"id":"th_1","object":"thing","name":"n","metadata":{"object":"thing"},"legacy":1}""";

        Assert.Equal(Expected, source.Writers.Render(thing, source.Version("2021-01-01")));
        Assert.Equal(Expected, source.Reference.Render(thing, source.Version("2021-01-01")));
    }

    [Fact]
    public void A_dictionary_field_with_code_on_it_is_not_searched_for_resources_below_code_on_the_whole_resource()
    {
        const string Whole = """
            [BackwardTransform(typeof(Thing))]
                public static void OldName(JsonObject thing) => thing["name"] = "old";
            """;
        using var source = LoadedSource.Compile(CodeOnDictionary.Replace("WHOLE", Whole, StringComparison.Ordinal), "F3.H");
        object thing = source.New("F3.Thing");
        const string Expected = """{"id":"th_1","object":"thing","name":"old","metadata":{"object":"thing"},"legacy":1}""";

        Assert.Equal(Expected, source.Writers.Render(thing, source.Version("2021-01-01")));
        Assert.Equal(Expected, source.Reference.Render(thing, source.Version("2021-01-01")));
    }

    // Finding 4. A typed computation's value is a C# value: a Dictionary<string, string> in it is never a resource. The
    // reference chain takes the restored dictionary {"object":"thing"} for a thing and gives it the thing's newer restored
    // field (and, where a newer change computes a typed value of things, throws on it as "raw JSON"). The writers agree
    // until they hand the resource to the chain.
    private const string TypedDictionary = Usings + """
        namespace F4;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class H;

        [ApiResource("thing")]
        public sealed class Thing
        {
            public string Id { get; set; } = "th_1";
            public string Object => "thing";
        }

        [ApiResource("box")]
        public sealed class Box
        {
            public string Id { get; set; } = "box_1";
            public string Object => "box";
            public Dictionary<string, string>? Metadata { get; set; } = new() { ["object"] = "thing" };
        }

        [VersionChange("2021-01-01", "Boxes lost `meta`, a copy of their metadata.")]
        [FieldRemoved(typeof(Box), "meta", ValueFrom = nameof(Meta))]
        public sealed class DropMeta
        {
            public static Dictionary<string, string>? Meta(Box box) => box.Metadata;
        }

        [VersionChange("2022-01-01", "Things lost `legacy`.")]
        [FieldRemoved(typeof(Thing), "legacy", Value = 1)]
        public sealed class Trim;
        """;

    [Fact]
    public void A_dictionary_a_typed_computation_returns_is_not_a_resource()
    {
        using var source = LoadedSource.Compile(TypedDictionary, "F4.H");
        object box = source.New("F4.Box");
        const string Expected = """{"id":"box_1","object":"box","metadata":{"object":"thing"},"meta":{"object":"thing"}}""";

        Assert.Equal(Expected, source.Writers.Render(box, source.Version("2020-01-01")));
        Assert.Equal(Expected, source.Reference.Render(box, source.Version("2020-01-01")));
    }

    // Finding 5. A resource a C# object wrote keeps it for typed computations and typed code wherever it sits. When a box has
    // code on the whole resource and the thing inside it has such code at a newer version, the writers lose the C# object of
    // the leaf inside the thing: typed computations and typed code on the leaf at or below the box's code throw
    // RenderException ("this 'leaf' is raw JSON"). The reference chain renders it.
    private const string GrandchildOwner = Usings + """
        namespace F5;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class H;

        [ApiResource("leaf")]
        public sealed class Leaf
        {
            public string Id { get; set; } = "lf_1";
            public string Object => "leaf";
        }

        [ApiResource("thing")]
        public sealed class Thing
        {
            public string Id { get; set; } = "th_1";
            public string Object => "thing";
            public string Name { get; set; } = "n";
            public Leaf Leaf { get; set; } = new();
        }

        [ApiResource("box")]
        public sealed class Box
        {
            public string Id { get; set; } = "box_1";
            public string Object => "box";
            public Thing Item { get; set; } = new();
        }

        [VersionChange("2020-01-02", "Leaves lost `shout`.")]
        [FieldRemoved(typeof(Leaf), "shout", ValueFrom = nameof(Shout))]
        public sealed class LeafShout
        {
            public static string Shout(Leaf leaf) => leaf.Id + "!";
        }

        [VersionChange("2020-06-01", "Box ids were different.")]
        public sealed class BoxIds
        {
            [BackwardTransform(typeof(Box))]
            public static void OldId(JsonObject box) => box["id"] = "box_old";
        }

        [VersionChange("2021-01-01", "Things were named `old`.")]
        public sealed class ThingNames
        {
            [BackwardTransform(typeof(Thing))]
            public static void OldName(JsonObject thing) => thing["name"] = "old";
        }
        """;

    [Fact]
    public void Typed_computations_reach_resources_nested_below_two_resources_with_code()
    {
        using var source = LoadedSource.Compile(GrandchildOwner, "F5.H");
        object box = source.New("F5.Box");
        const string Expected = """{"id":"box_old","object":"box","item":{"id":"th_1","object":"thing","name":"old","leaf":{"id":"lf_1","object":"leaf","shout":"lf_1!"}}}""";

        Assert.Equal(Expected, source.Reference.Render(box, source.Version("2020-01-01")));
        Assert.Equal(Expected, source.Writers.Render(box, source.Version("2020-01-01")));
    }

    // Finding 6 (the two paths disagree; section 2 does not decide). Typed code returns a C# value, which "receives every
    // version newer than the target", but section 2 does not say whether later code of the same version sees it with that
    // version's operations done. Here typed code hands back the thing's leaf and the next method of the change writes the
    // leaf as text; the change also renames the leaf's `old` to `mike`. The reference chain (and the oracle) hand the
    // second method the leaf with the rename done; the writers without it.
    private const string TypedThenCode = Usings + """
        namespace F6;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class H;

        [ApiResource("leaf")]
        public sealed class Leaf
        {
            public string Id { get; set; } = "lf_1";
            public string Object => "leaf";
            public string Mike { get; set; } = "m";
        }

        [ApiResource("thing")]
        public sealed class Thing
        {
            public string Id { get; set; } = "th_1";
            public string Object => "thing";
            public Leaf? Leaf { get; set; } = new();
        }

        [VersionChange("2021-01-01", "A leaf's `old` is now `mike`; things showed their leaf as text.")]
        [FieldRenamed(typeof(Leaf), "old", "mike")]
        public sealed class LeafAsText
        {
            [BackwardTransform(typeof(Thing), Field = "leaf")]
            public static Leaf? Same(Leaf? leaf) => leaf;

            [BackwardTransform(typeof(Thing), Field = "leaf")]
            public static void Text(JsonObject thing) => thing["leaf"] = thing["leaf"]?.ToJsonString();
        }
        """;

    // Decided by a diagnostic: JSON code cannot see, in its version's shape, what typed code of that version returned.
    [Fact]
    public void JSON_code_after_typed_code_of_its_version_on_one_field_is_VK0021()
    {
        var run = GeneratorHarness.Run(TypedThenCode);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("VK0021", diagnostic.Id);
        Assert.Contains("'Text'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    // Finding 7. "Inside a resource only the fields that can hold one are searched." A value created by JSON (here a copy of
    // the box's item) is raw JSON, searched by its resources' fields. The chain searched every field that could hold a
    // resource at any version: the thing's metadata, counted by older JSON code, was searched at the newer version too, where
    // it is a dictionary, and its {"object":"box"} got the box's restored `legacy` before it was counted.
    private const string CopiedDictionary = Usings + """
        namespace F7;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class H;

        [ApiResource("thing")]
        public sealed class Thing
        {
            public string Id { get; set; } = "th_1";
            public string Object => "thing";
            public Dictionary<string, string>? Metadata { get; set; } = new() { ["object"] = "box" };
        }

        [ApiResource("box")]
        public sealed class Box
        {
            public string Id { get; set; } = "box_1";
            public string Object => "box";
            public Thing Item { get; set; } = new();
        }

        [VersionChange("2021-01-01", "Metadata was a count.")]
        [FieldTypeChanged(typeof(Thing), "metadata", "integer", "object")]
        public sealed class CountMetadata
        {
            [BackwardTransform(typeof(Thing), Field = "metadata")]
            public static void Count(JsonObject thing) => thing["metadata"] = thing["metadata"] is JsonObject m ? m.Count : 0;
        }

        [VersionChange("2022-01-01", "Boxes lost `legacy`.")]
        [FieldRemoved(typeof(Box), "legacy", Value = 1)]
        public sealed class Trim;

        [VersionChange("2023-01-01", "Boxes lost `snapshot`, a copy of their item.")]
        [FieldRemoved(typeof(Box), "snapshot", ValueFrom = nameof(Snapshot))]
        public sealed class DropSnapshot
        {
            public static JsonNode? Snapshot(JsonObject box) => box["item"]?.DeepClone();
        }
        """;

    [Fact]
    public void A_created_value_is_searched_by_the_shape_of_its_resources_at_each_version()
    {
        using var source = LoadedSource.Compile(CopiedDictionary, "F7.H");
        object box = source.New("F7.Box");
        const string Expected = """{"id":"box_1","object":"box","item":{"id":"th_1","object":"thing","metadata":1},"snapshot":{"id":"th_1","object":"thing","metadata":1},"legacy":1}""";

        Assert.Equal(Expected, source.Writers.Render(box, source.Version("2020-01-01")));
        Assert.Equal(Expected, source.Reference.Render(box, source.Version("2020-01-01")));
    }
}
