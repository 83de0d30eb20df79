using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2013-02-13", "The customer's `account_balance` is now called `balance`.")]
[FieldRenamed(typeof(Customer), "account_balance", "balance")]
[RequestFieldRenamed(typeof(CreateCustomer), "account_balance", "balance")]
public sealed class CustomerBalance;
