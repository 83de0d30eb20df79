using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2024-09-30.acacia", "A bank account's `name` is now `account_holder_name`.")]
[FieldRenamed(typeof(BankAccount), "name", "account_holder_name")]
public sealed class BankAccountHolderName;
