namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2020-08-27, three entries of one kind, one change here so that the lists come back in one order:
/// "Customer sources are no longer auto-expanded by default" (docs.stripe.com/changelog/2020-08-27/deprecates-auto-expansion-customer-sources),
/// "Customer subscriptions are no longer auto-expanded by default", and
/// "Tax IDs are no longer auto-expanded on the Customer object" (docs.stripe.com/changelog/2020-08-27/deprecates-auto-expansion-tax-id-customer).
/// Older versions get `sources`, `subscriptions` and `tax_ids` back as list envelopes. The customer object does not hold
/// the payment sources, subscriptions and tax ids themselves (an API would read them from its store), so the envelopes
/// are empty here, as they are for Stripe's example customer, which has none. Typed computations: they read the C#
/// customer's id.
/// </summary>
[VersionChange("2020-08-27", "Customers no longer include `sources`, `subscriptions` and `tax_ids` unless the request expands them.")]
[FieldRemoved(typeof(Customer), "sources", ValueFrom = nameof(Sources))]
[FieldRemoved(typeof(Customer), "subscriptions", ValueFrom = nameof(Subscriptions))]
[FieldRemoved(typeof(Customer), "tax_ids", ValueFrom = nameof(TaxIds))]
public sealed class CustomerLists
{
    public static UnexpandedList<Source> Sources(Customer customer) => new($"/v1/customers/{customer.Id}/sources");

    public static UnexpandedList<Subscription> Subscriptions(Customer customer) => new($"/v1/customers/{customer.Id}/subscriptions");

    public static UnexpandedList<TaxId> TaxIds(Customer customer) => new($"/v1/customers/{customer.Id}/tax_ids");
}
