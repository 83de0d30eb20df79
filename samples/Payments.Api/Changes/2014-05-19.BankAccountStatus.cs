using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2014-05-19", """
    Bank accounts replace the boolean `verified` with `status`, one of `new`, `validated`, `verified`,
    `verification_failed` or `errored`. Older versions keep `verified`, true exactly when the status is `verified`.
    """)]
[FieldAdded(typeof(BankAccount), "status")]
[FieldRemoved(typeof(BankAccount), "verified", ValueFrom = nameof(Verified))]
public sealed class BankAccountStatus
{
    // Typed: computed from the C# object the handler returned, no JSON involved.
    public static bool Verified(BankAccount bankAccount) => bankAccount.Status == "verified";
}
