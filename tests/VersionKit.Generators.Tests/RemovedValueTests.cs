namespace VersionKit.Generators.Tests;

/// <summary>A removed field's constant <c>Value</c> becomes JSON text in the generated chain, and that code compiles.</summary>
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
    [InlineData("Value = \"none\"", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"\\\"none\\\"\")")]
    [InlineData("Value = true", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"true\")")]
    [InlineData("Value = 'x'", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"\\\"x\\\"\")")]
    [InlineData("Value = 12", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"12\")")]
    [InlineData("Value = 12L", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"12\")")]
    [InlineData("Value = 0.1f", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"0.1\")")]
    [InlineData("Value = 2.5", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"2.5\")")]
    [InlineData("Value = double.NaN", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"\\\"NaN\\\"\")")]
    [InlineData("Value = float.NegativeInfinity", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"\\\"-Infinity\\\"\")")]
    [InlineData("Value = Stage.Archived", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"\\\"Archived\\\"\")")]
    [InlineData("Value = (Stage)7", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"\\\"7\\\"\")")]
    [InlineData("Value = null", "PlanOp.Restore(typeof(global::RemoveLegacy), \"legacy\", \"null\")")]
    public void Constant_values_compile_to_json_text(string argument, string expected)
    {
        string source = GeneratorHarness.GenerateValid(Source.Replace("VALUE", argument, StringComparison.Ordinal));

        Assert.Contains(expected, source, StringComparison.Ordinal);
    }
}
