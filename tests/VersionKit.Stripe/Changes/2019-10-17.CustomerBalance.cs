namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2019-10-17, "Renames account_balance to balance on Customer object"
/// (docs.stripe.com/changelog/2019-10-17/renames-account-balance-customer-object).
/// </summary>
[VersionChange("2019-10-17", "A customer's `account_balance` is now `balance`.")]
[FieldRenamed(typeof(Customer), "account_balance", "balance")]
public sealed class CustomerBalance;
