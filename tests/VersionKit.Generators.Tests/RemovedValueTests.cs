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
    [InlineData("Value = \"none\"", "FieldInstruction.Restore(\"legacy\", \"\\\"none\\\"\")")]
    [InlineData("Value = true", "FieldInstruction.Restore(\"legacy\", \"true\")")]
    [InlineData("Value = 'x'", "FieldInstruction.Restore(\"legacy\", \"\\\"x\\\"\")")]
    [InlineData("Value = 12", "FieldInstruction.Restore(\"legacy\", \"12\")")]
    [InlineData("Value = 12L", "FieldInstruction.Restore(\"legacy\", \"12\")")]
    [InlineData("Value = 0.1f", "FieldInstruction.Restore(\"legacy\", \"0.1\")")]
    [InlineData("Value = 2.5", "FieldInstruction.Restore(\"legacy\", \"2.5\")")]
    [InlineData("Value = double.NaN", "FieldInstruction.Restore(\"legacy\", \"\\\"NaN\\\"\")")]
    [InlineData("Value = float.NegativeInfinity", "FieldInstruction.Restore(\"legacy\", \"\\\"-Infinity\\\"\")")]
    [InlineData("Value = Stage.Archived", "FieldInstruction.Restore(\"legacy\", \"\\\"Archived\\\"\")")]
    [InlineData("Value = (Stage)7", "FieldInstruction.Restore(\"legacy\", \"\\\"7\\\"\")")]
    [InlineData("Value = null", "FieldInstruction.Restore(\"legacy\", \"null\")")]
    public void Constant_values_compile_to_json_text(string argument, string expected)
    {
        string source = GeneratorHarness.GenerateValid(Source.Replace("VALUE", argument, StringComparison.Ordinal));

        Assert.Contains(expected, source, StringComparison.Ordinal);
    }
}
