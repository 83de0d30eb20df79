using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2024-09-30.acacia", "A bank account's `name` is now `account_holder_name`, in responses and when creating one.")]
[FieldRenamed(typeof(BankAccount), "name", "account_holder_name")]
[RequestFieldRenamed(typeof(CreateBankAccount), "name", "account_holder_name")]
public sealed class BankAccountHolderName;
