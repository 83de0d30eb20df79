using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VersionKit.Testing.Tests;

// A small history for the snapshot tests:
//   2020-06-01 card.type renamed to brand
//   2022-03-01 card.funding added; older versions see the boolean is_credit
[ApiHistory("2019-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial class CardHistory;

[ApiResource("card")]
public sealed class Card
{
    public string Id { get; init; } = "card_1MvoiELkdIwHu7ixOeFh0lvj";

    public string Object => "card";

    public string Brand { get; init; } = "Visa";

    public string Last4 { get; init; } = "4242";

    public string Funding { get; init; } = "credit";

    public long Created { get; init; } = 1680651950;

    public string? Customer { get; init; } = "cus_NhD8HD2bY8dP3V";
}

[VersionChange("2020-06-01", "`type` is now `brand`.")]
[FieldRenamed(typeof(Card), "type", "brand")]
public sealed class CardTypeIsBrand;

[VersionChange("2022-03-01", "Cards tell their `funding`; older versions see the boolean `is_credit`.")]
[FieldAdded(typeof(Card), "funding")]
[FieldRemoved(typeof(Card), "is_credit", ValueFrom = nameof(IsCredit))]
public sealed class CardFunding
{
    /// <summary>Set by a test to break this change on purpose, for its own async flow only: old versions then get the wrong <c>is_credit</c>.</summary>
    public static readonly AsyncLocal<bool> Broken = new();

    public static JsonNode? IsCredit(JsonObject card) => ((string?)card["funding"] == "credit") != Broken.Value;
}
