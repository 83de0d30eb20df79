namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2015-02-18, "Charges now have a source field that accepts a source or card"
/// (docs.stripe.com/changelog/2015-02-18/charges-have-source-field-accepts-source-card): `source` replaces `card`, and
/// older versions return both. `card` only ever held a card, so it is the source when that is a card, and null otherwise.
/// A typed computation: it reads the C# charge.
/// </summary>
[VersionChange("2015-02-18", "Charges have `source`, a card or another source, in place of `card`; older versions see both.")]
[FieldRemoved(typeof(Charge), "card", ValueFrom = nameof(CardFromSource))]
public sealed class ChargeSource
{
    public static Source? CardFromSource(Charge charge) => charge.Source is { Object: "card" } card ? card : null;
}
