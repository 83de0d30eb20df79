namespace VersionKit.Stripe.Changes;

/// <summary>
/// Stripe 2020-08-27, "Updates to 3D Secure details in Charge object" (docs.stripe.com/changelog/2020-08-27/updates-3d-scure-charge-object):
/// `payment_method_details.card.three_d_secure` loses the `authenticated` and `succeeded` booleans; its `result` enum
/// says more. Typed code on the one field that holds them, three objects down: it returns the details as they were, whose
/// `three_d_secure` has `authenticated` when the result is `authenticated`, and `succeeded` also when the issuer
/// acknowledged the attempt (a card not enrolled in 3D Secure "succeeds without authentication", as the old booleans'
/// documentation put it).
/// </summary>
[VersionChange("2020-08-27", "A charge's `payment_method_details.card.three_d_secure` no longer has `authenticated` and `succeeded`; use `result`.")]
public sealed class ThreeDSecureResult
{
    [BackwardTransform(typeof(Charge), Field = "payment_method_details")]
    public static PaymentMethodDetailsBefore2020? AddAuthenticationBooleans(PaymentMethodDetails? details)
        => details is null ? null : new(details);
}

/// <summary><c>payment_method_details</c> before 2020-08-27: the current details, with the old <c>three_d_secure</c>.</summary>
public sealed class PaymentMethodDetailsBefore2020(PaymentMethodDetails details)
{
    public CardDetailsBefore2020? Card { get; } = details.Card is { } card ? new(card) : null;

    public string Type => details.Type;
}

/// <summary><c>payment_method_details.card</c> before 2020-08-27.</summary>
public sealed class CardDetailsBefore2020(CardDetails card)
{
    public string? Brand => card.Brand;

    public CardChecks? Checks => card.Checks;

    public string? Country => card.Country;

    public long ExpMonth => card.ExpMonth;

    public long ExpYear => card.ExpYear;

    public string? Fingerprint => card.Fingerprint;

    public string? Funding => card.Funding;

    public CardInstallments? Installments => card.Installments;

    public string? Last4 => card.Last4;

    public string? Network => card.Network;

    public ThreeDSecureBefore2020? ThreeDSecure { get; } = card.ThreeDSecure is { } threeDSecure ? new(threeDSecure) : null;

    public CardWallet? Wallet => card.Wallet;
}

/// <summary><c>three_d_secure</c> before 2020-08-27: the current fields, then the two booleans <c>result</c> replaced.</summary>
public sealed class ThreeDSecureBefore2020(ThreeDSecureDetails threeDSecure)
{
    public string? AuthenticationFlow => threeDSecure.AuthenticationFlow;

    public string? ElectronicCommerceIndicator => threeDSecure.ElectronicCommerceIndicator;

    public string? ExemptionIndicator => threeDSecure.ExemptionIndicator;

    public string? Result => threeDSecure.Result;

    public string? ResultReason => threeDSecure.ResultReason;

    public string? TransactionId => threeDSecure.TransactionId;

    public string? Version => threeDSecure.Version;

    public bool Authenticated => threeDSecure.Result == "authenticated";

    public bool Succeeded => threeDSecure.Result is "authenticated" or "attempt_acknowledged";
}
