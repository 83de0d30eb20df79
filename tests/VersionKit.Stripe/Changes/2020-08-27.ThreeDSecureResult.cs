using System.Text.Json.Nodes;

namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2020-08-27, "Updates to 3D Secure details in Charge object" (docs.stripe.com/changelog/2020-08-27/updates-3d-scure-charge-object):
/// `payment_method_details.card.three_d_secure` loses the `authenticated` and `succeeded` booleans; its `result` enum
/// says more. JSON code on the one field that holds them, three objects down: `authenticated` when the result is
/// `authenticated`; `succeeded` also when the issuer acknowledged the attempt (a card not enrolled in 3D Secure
/// "succeeds without authentication", as the old booleans' documentation put it).
/// </summary>
[VersionChange("2020-08-27", "A charge's `payment_method_details.card.three_d_secure` no longer has `authenticated` and `succeeded`; use `result`.")]
public sealed class ThreeDSecureResult
{
    [BackwardTransform(typeof(Charge), Field = "payment_method_details")]
    public static void AddAuthenticationBooleans(JsonObject charge)
    {
        if (charge["payment_method_details"] is JsonObject details && details["card"] is JsonObject card
            && card["three_d_secure"] is JsonObject threeDSecure)
        {
            string? result = (string?)threeDSecure["result"];
            threeDSecure["authenticated"] = result == "authenticated";
            threeDSecure["succeeded"] = result is "authenticated" or "attempt_acknowledged";
        }
    }
}
