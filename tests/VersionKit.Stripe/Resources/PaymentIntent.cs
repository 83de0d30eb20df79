namespace VersionKit.Stripe;

/// <summary>
/// Stripe's payment intent, in its current shape (Data/payment_intent.json), trimmed of rarely-used fields.
/// <c>latest_charge</c> is expandable: an id, or the charge when the request expands it. This corpus always renders it
/// expanded, so the property is the <see cref="Charge"/> resource itself (null when there is none yet), which lets the
/// renderer version the charge inside the intent and lets 2022-11-15's typed computation rebuild <c>charges</c> from it.
/// </summary>
[ApiResource("payment_intent")]
public sealed class PaymentIntent
{
    public long Amount { get; init; }

    public long AmountCapturable { get; init; }

    public long AmountReceived { get; init; }

    public AutomaticPaymentMethods? AutomaticPaymentMethods { get; init; }

    public long? CanceledAt { get; init; }

    public string? CancellationReason { get; init; }

    public required string CaptureMethod { get; init; }

    public string? ClientSecret { get; init; }

    public required string ConfirmationMethod { get; init; }

    public long Created { get; init; }

    public required string Currency { get; init; }

    public string? Customer { get; init; }

    public string? Description { get; init; }

    public required string Id { get; init; }

    public PaymentError? LastPaymentError { get; init; }

    public Charge? LatestCharge { get; init; }

    public bool Livemode { get; init; }

    public Dictionary<string, string> Metadata { get; init; } = [];

    /// <summary>Called <c>next_source_action</c> before 2019-02-11.</summary>
    public NextAction? NextAction { get; init; }

    public string Object => "payment_intent";

    public string? PaymentMethod { get; init; }

    public List<string> PaymentMethodTypes { get; init; } = [];

    public string? ReceiptEmail { get; init; }

    public string? SetupFutureUsage { get; init; }

    public string? StatementDescriptor { get; init; }

    /// <summary>
    /// <c>requires_payment_method</c>, <c>requires_confirmation</c>, <c>requires_action</c>, <c>processing</c>,
    /// <c>requires_capture</c>, <c>canceled</c> or <c>succeeded</c>; before 2019-02-11 the first and third were
    /// <c>requires_source</c> and <c>requires_source_action</c>.
    /// </summary>
    public required string Status { get; init; }

    public PaymentIntentTransferData? TransferData { get; init; }
}

/// <summary>Whether the intent lets Stripe pick payment methods from the Dashboard's settings.</summary>
public sealed class AutomaticPaymentMethods
{
    public bool Enabled { get; init; }
}

/// <summary>The error of the intent's last payment attempt (Stripe's example holds just its <c>type</c>).</summary>
public sealed class PaymentError
{
    public required string Type { get; init; }
}

/// <summary>What the customer must do next for the intent to proceed (Stripe's example holds just its <c>type</c>).</summary>
public sealed class NextAction
{
    public required string Type { get; init; }
}

/// <summary>Where a destination payment's funds go.</summary>
public sealed class PaymentIntentTransferData
{
    public AccountReference? Destination { get; init; }
}
