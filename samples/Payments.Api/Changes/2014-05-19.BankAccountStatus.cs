using System.Text.Json.Nodes;
using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2014-05-19", """
    Bank accounts replace the boolean `verified` with `status`, one of `new`, `validated`, `verified`,
    `verification_failed` or `errored`. Older versions keep `verified`, true exactly when the status is `verified`.
    """)]
[FieldAdded(typeof(BankAccount), "status")]
[FieldRemoved(typeof(BankAccount), "verified", ValueFrom = nameof(VerifiedFromStatus), ValueFromField = "status")]
public sealed class BankAccountStatus
{
    public static JsonNode? VerifiedFromStatus(JsonObject bankAccount)
        => (string?)bankAccount["status"] == "verified";
}
