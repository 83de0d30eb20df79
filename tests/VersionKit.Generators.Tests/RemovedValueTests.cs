namespace VersionKit.Generators.Tests;

/// <summary>A removed field's constant <c>Value</c> becomes a JSON value in the generated chain, and that code compiles.</summary>
public sealed class RemovedValueTests
{
    private const string Source = """
        using System.Text.Json.Serialization;
        using VersionKit;

        [ApiHistory("2019-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class ShopHistory;

        public enum Stage { Draft, Archived }

        [ApiResource("widget")]
        public sealed class Widget
        {
            public string Object => "widget";
        }

        [VersionChange("2020-01-01", "`legacy` is gone.")]
        [FieldRemoved(typeof(Widget), "legacy", VALUE)]
        public sealed class RemoveLegacy;
        """;

    [Theory]
    [InlineData("Value = \"none\"", "JsonValue.Create(\"none\")")]
    [InlineData("Value = true", "JsonValue.Create(true)")]
    [InlineData("Value = 'x'", "JsonValue.Create(\"x\")")]
    [InlineData("Value = 12", "JsonValue.Create(12)")]
    [InlineData("Value = 12L", "JsonValue.Create(12L)")]
    [InlineData("Value = 0.1f", "JsonValue.Create(0.1f)")]
    [InlineData("Value = 2.5", "JsonValue.Create(2.5d)")]
    [InlineData("Value = double.NaN", "JsonValue.Create(double.NaN)")]
    [InlineData("Value = float.NegativeInfinity", "JsonValue.Create(float.NegativeInfinity)")]
    [InlineData("Value = Stage.Archived", "JsonValue.Create(\"Archived\")")]
    [InlineData("Value = (Stage)7", "JsonValue.Create(\"7\")")]
    [InlineData("Value = null", "removed0 = null;")]
    public void Constant_values_compile_to_json_values(string argument, string expected)
    {
        string source = GeneratorHarness.GenerateValid(Source.Replace("VALUE", argument, StringComparison.Ordinal));

        Assert.Contains(expected, source, StringComparison.Ordinal);
    }
}
