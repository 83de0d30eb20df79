using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2016-02-03", "A bank account's `status` can be `errored` (a transfer to it failed); older versions see `verification_failed`.")]
[EnumValueAdded(typeof(BankAccount), "status", "errored", "verification_failed")]
public sealed class BankAccountErrored;
