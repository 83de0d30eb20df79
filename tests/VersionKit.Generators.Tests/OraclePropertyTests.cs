using System.Text.Json;
using CsCheck;
using VersionKit.Generators.Tests.Oracle;
using Xunit.Abstractions;

namespace VersionKit.Generators.Tests;

/// <summary>
/// A differential oracle over generated histories: random histories (<see cref="OracleHistory"/>: three resources nested
/// three deep, moves across resources, restored lists, code beside declarations, typed code and computations, enum
/// maps on strings and on a C# enum, dictionaries that look like resources, polymorphic fields, several ordered changes
/// in one version), each compiled once by the real generator, then random payloads rendered at every version by the
/// emitted writers, by the reference chain, and by <see cref="OracleInterpreter"/>, which applies section 2 of
/// docs/architecture.md by hand: all three must agree byte for byte.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class OraclePropertyTests(ITestOutputHelper output)
{
    // What the history generator must reach (OracleHistory.Features).
    private static readonly string[] EveryFeature =
    [
        "rename", "hide", "map", "restored constant", "restored null", "type change", "side effects", "release names",
        "several ordered changes in a version", "abstract base with [JsonDerivedType]", "object-typed field", "dictionary field",
        "map on a C# enum", "map on a string", "map on a computed value",
        "json computation given a copy of the resource", "json computation given one field", "json copy of a field",
        "json read of a nested resource", "typed computation", "typed read of a nested resource", "typed value holding resources",
        "typed dictionary value", "move to the children (json)", "move to the children (typed)",
        "restored list envelope (json)", "restored array of resources (json)", "restored list envelope (typed)",
        "restored array of resources (typed)", "older change on resources in a restored list",
        "json code on the whole resource", "json code on the whole resource reads a field", "json code on one field",
        "json code on one field keeps nested resources", "typed code on one field", "typed code returns resources",
        "typed code on a C# enum", "two transforms of one resource in one change", "two transforms of one field in one change",
        "code and declarations on one resource in one change",
    ];

    [Fact]
    public void Writers_reference_chain_and_oracle_render_every_generated_history_alike_at_every_version()
        => OracleHistory.Any.Sample(
            spec =>
            {
                using var loaded = LoadedOracle.Compile(spec);
                CheckFields(loaded);
                OraclePayloads.Gen(loaded).Sample(payload => CheckRendering(loaded, payload), iter: 25, threads: 1, print: p => Describe(loaded, p));
            },
            iter: 40,
            threads: 1,
            print: spec => spec.Source,
            writeLine: output.WriteLine);

    // Cheap (nothing compiled): the history generator reaches every feature the oracle is there to check.
    [Fact]
    public void Generated_histories_cover_every_feature()
    {
        var random = new Random(20250331);
        var seen = new HashSet<string>();
        for (int i = 0; i < 400; i++)
        {
            seen.UnionWith(OracleHistory.Build([.. Enumerable.Range(0, 24).Select(_ => random.Next(1000))], [.. Enumerable.Range(0, random.Next(4, 64)).Select(_ => random.Next(1000))]).Features);
        }

        Assert.Empty(EveryFeature.Except(seen));
    }

    // The plan's field names at every version are the walk's, wherever no code on the whole resource has the last word.
    private static void CheckFields(LoadedOracle loaded)
    {
        Assert.Equal(loaded.Spec.Versions, loaded.History.Versions);
        foreach (var version in loaded.Spec.Versions)
        {
            foreach (var resource in Enum.GetValues<Res>().Where(r => !loaded.Spec.HasWholeCodeAfter(r, version)))
            {
                Assert.Equal(loaded.Spec.Shapes[(resource, version)], loaded.History.GetFields(OracleNames.Obj(resource), version));
            }
        }
    }

    private static void CheckRendering(LoadedOracle loaded, object payload)
    {
        var marked = OraclePayloads.Mark(payload, loaded.Options);
        Assert.Equal(marked.Json!.ToJsonString(), loaded.Writers.Render(payload, loaded.History.Latest));
        foreach (var version in loaded.History.Versions)
        {
            var oracle = OracleInterpreter.Render(loaded.Spec, marked, version);
            string expected = oracle.Json?.ToJsonString() ?? "null";
            string writers = loaded.Writers.Render(payload, version);

            string reference = loaded.Reference.Render(payload, version);
            Assert.True(
                writers == expected && reference == expected,
                $"At {version}:\noracle    {expected}\nwriters   {writers}\nreference {reference}");

            foreach (var (name, fields) in oracle.Owned)
            {
                if (!loaded.Spec.HasWholeCodeAfter(OracleNames.FromObj(name)!.Value, version))
                {
                    Assert.Equal(loaded.History.GetFields(name, version), fields);
                }
            }
        }
    }

    private static string Describe(LoadedOracle loaded, object payload) => payload.GetType().Name + " " + JsonSerializer.Serialize(payload, loaded.Options);
}
