namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2015-02-18, "Customers now have a source field that accepts a source or card, and updates related event types"
/// (docs.stripe.com/changelog/2015-02-18/customers-have-source-field-accepts-source-card): `sources` and `default_source`
/// replace `cards` and `default_card`, and older versions return both. The old fields held cards only: `default_card` is
/// the default source when it is a card (a card's id starts with `card_`), `cards` the card part of the customer's
/// sources, which the customer object does not hold (see 2020-08-27): an empty list, as `sources` is. Typed
/// computations: they read the C# customer.
/// </summary>
[VersionChange("2015-02-18", "Customers have `sources` and `default_source`, cards or other sources, in place of `cards` and `default_card`; older versions see both.")]
[FieldRemoved(typeof(Customer), "default_card", ValueFrom = nameof(DefaultCard))]
[FieldRemoved(typeof(Customer), "cards", ValueFrom = nameof(Cards))]
public sealed class CustomerSources
{
    public static string? DefaultCard(Customer customer)
        => customer.DefaultSource is { } id && id.StartsWith("card_", StringComparison.Ordinal) ? id : null;

    public static UnexpandedList<Source> Cards(Customer customer) => new($"/v1/customers/{customer.Id}/cards");
}
