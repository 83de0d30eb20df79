namespace VersionKit.Stripe;

/// <summary>
/// Stripe's charge, in its current shape (Data/charge.json), trimmed of rarely-used fields. Expandable fields that the
/// example leaves unexpanded (<c>customer</c>, <c>balance_transaction</c>, <c>payment_intent</c>) are their ids; the
/// example's <c>refunds</c> is expanded, so it is the list (2022-11-15 stopped including it by default, which changes
/// what a request returns, not the shape of the field: that change is not a version change here).
/// </summary>
[ApiResource("charge")]
public sealed class Charge
{
    public long Amount { get; init; }

    public long AmountCaptured { get; init; }

    public long AmountRefunded { get; init; }

    public string? BalanceTransaction { get; init; }

    public BillingDetails? BillingDetails { get; init; }

    public bool Captured { get; init; }

    public long Created { get; init; }

    public required string Currency { get; init; }

    public string? Customer { get; init; }

    public string? Description { get; init; }

    public bool Disputed { get; init; }

    public string? FailureCode { get; init; }

    public string? FailureMessage { get; init; }

    public Dictionary<string, string>? FraudDetails { get; init; }

    public required string Id { get; init; }

    public bool Livemode { get; init; }

    public Dictionary<string, string> Metadata { get; init; } = [];

    public string Object => "charge";

    public ChargeOutcome? Outcome { get; init; }

    public bool Paid { get; init; }

    public string? PaymentIntent { get; init; }

    public string? PaymentMethod { get; init; }

    public PaymentMethodDetails? PaymentMethodDetails { get; init; }

    public string? ReceiptEmail { get; init; }

    public string? ReceiptNumber { get; init; }

    public string? ReceiptUrl { get; init; }

    public bool Refunded { get; init; }

    public ApiList<Refund>? Refunds { get; init; }

    public string? StatementDescriptor { get; init; }

    /// <summary><c>succeeded</c>, <c>pending</c> or <c>failed</c>; versions before 2015-02-18 say <c>paid</c> for <c>succeeded</c>.</summary>
    public required string Status { get; init; }

    public ChargeTransferData? TransferData { get; init; }

    public Source? Source { get; init; }
}

/// <summary>Who paid a charge, as the payment method tells it.</summary>
public sealed class BillingDetails
{
    public Address? Address { get; init; }

    public string? Email { get; init; }

    public string? Name { get; init; }

    public string? Phone { get; init; }

    public string? TaxId { get; init; }
}

/// <summary>What the card networks and Radar said of a charge.</summary>
public sealed class ChargeOutcome
{
    public string? AdviceCode { get; init; }

    public string? NetworkAdviceCode { get; init; }

    public string? NetworkDeclineCode { get; init; }

    public string? NetworkStatus { get; init; }

    public string? Reason { get; init; }

    public string? SellerMessage { get; init; }

    public required string Type { get; init; }
}

/// <summary>The payment method of a charge at the time of the transaction; here its card.</summary>
public sealed class PaymentMethodDetails
{
    public CardDetails? Card { get; init; }

    public required string Type { get; init; }
}

/// <summary>A card payment's details (<c>payment_method_details.card</c>).</summary>
public sealed class CardDetails
{
    public string? Brand { get; init; }

    public CardChecks? Checks { get; init; }

    public string? Country { get; init; }

    public long ExpMonth { get; init; }

    public long ExpYear { get; init; }

    public string? Fingerprint { get; init; }

    public string? Funding { get; init; }

    public CardInstallments? Installments { get; init; }

    public string? Last4 { get; init; }

    public string? Network { get; init; }

    /// <summary>Since 2020-08-27 its <c>result</c> says how 3D Secure went; older versions also get the booleans it replaced.</summary>
    public ThreeDSecureDetails? ThreeDSecure { get; init; }

    public CardWallet? Wallet { get; init; }
}

/// <summary>The card's address and CVC checks.</summary>
public sealed class CardChecks
{
    public string? AddressLine1Check { get; init; }

    public string? AddressPostalCodeCheck { get; init; }

    public string? CvcCheck { get; init; }
}

/// <summary>Installments of a card payment.</summary>
public sealed class CardInstallments
{
    public InstallmentPlan? Plan { get; init; }
}

/// <summary>The installment plan a card payment was made with.</summary>
public sealed class InstallmentPlan
{
    public long? Count { get; init; }

    public string? Interval { get; init; }

    public required string Type { get; init; }
}

/// <summary>How 3D Secure went for a card payment.</summary>
public sealed class ThreeDSecureDetails
{
    public string? AuthenticationFlow { get; init; }

    public string? ElectronicCommerceIndicator { get; init; }

    public string? ExemptionIndicator { get; init; }

    public string? Result { get; init; }

    public string? ResultReason { get; init; }

    public string? TransactionId { get; init; }

    public string? Version { get; init; }
}

/// <summary>The wallet a card payment came through.</summary>
public sealed class CardWallet
{
    public string? DynamicLast4 { get; init; }

    public required string Type { get; init; }
}

/// <summary>Where a destination charge's funds go.</summary>
public sealed class ChargeTransferData
{
    public long? Amount { get; init; }

    public AccountReference? Destination { get; init; }
}

/// <summary>
/// A charge's <c>source</c>: in Stripe a card, a bank account or a Source object, told apart by <c>object</c>. This corpus
/// models the fields of the Source object of Stripe's example (an ACH credit transfer), with <c>object</c> as the data says.
/// </summary>
public sealed class Source
{
    public long? Amount { get; init; }

    public string? ClientSecret { get; init; }

    public long Created { get; init; }

    public string? Currency { get; init; }

    public string? Flow { get; init; }

    public required string Id { get; init; }

    public bool Livemode { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public string Object { get; init; } = "source";

    public SourceOwner? Owner { get; init; }

    public string? Status { get; init; }

    public string? Type { get; init; }

    public string? Usage { get; init; }
}

/// <summary>Who owns a Source.</summary>
public sealed class SourceOwner
{
    public Address? Address { get; init; }

    public string? Email { get; init; }

    public string? Name { get; init; }

    public string? Phone { get; init; }
}

/// <summary>Stripe's refund, as a charge's <c>refunds</c> list holds it.</summary>
[ApiResource("refund")]
public sealed class Refund
{
    public long Amount { get; init; }

    public string? Charge { get; init; }

    public long Created { get; init; }

    public required string Currency { get; init; }

    public required string Id { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public string Object => "refund";

    public string? PaymentIntent { get; init; }

    public string? Reason { get; init; }

    public string? Status { get; init; }
}
