using VersionKit;

namespace Payments.Api.Changes;

/// <summary>
/// A preview change: served only to callers that send <c>Stripe-Version: 2026-11-15.preview</c>. Promoting it to the next
/// major is editing its date (<c>2027-03-30.fig</c>, declared on the history): the released versions do not change.
/// </summary>
[VersionChange("2026-11-15.preview", "Customers have `preferred_locales`: the languages of their emails and receipts, most preferred first.", Title = "Customers' preferred locales", Category = "customers")]
[FieldAdded(typeof(Customer), "preferred_locales")]
public sealed class CustomerPreferredLocales;
