namespace VersionKit.Stripe;

// Objects that several resources hold. None is an [ApiResource]: no change of StripeHistory versions them on their own,
// and their JSON `object` field, where they have one, names no resource of the history.

/// <summary>A postal address (<c>billing_details.address</c>, <c>customer.address</c>, ...).</summary>
public sealed class Address
{
    public string? City { get; init; }

    public string? Country { get; init; }

    public string? Line1 { get; init; }

    public string? Line2 { get; init; }

    public string? PostalCode { get; init; }

    public string? State { get; init; }
}

/// <summary>
/// A connected account, expanded (<c>transfer_data.destination</c>): Stripe's example holds just its <c>id</c> and
/// <c>object</c>.
/// </summary>
public sealed class AccountReference
{
    public required string Id { get; init; }

    public string Object { get; init; } = "account";
}

/// <summary>Who is liable for tax or issues an invoice (<c>automatic_tax.liability</c>, <c>issuer</c>).</summary>
public sealed class ConnectAccountReference
{
    public required string Type { get; init; }
}

/// <summary>
/// One tax amount of an invoice (<c>total_taxes</c>) or of a line item (<c>taxes</c>), as 2025-03-31.basil shapes it.
/// </summary>
public sealed class InvoiceTax
{
    public long Amount { get; init; }

    public required string TaxBehavior { get; init; }

    public TaxRateDetails? TaxRateDetails { get; init; }

    public string? TaxabilityReason { get; init; }

    public long? TaxableAmount { get; init; }

    public required string Type { get; init; }
}

/// <summary>The tax rate an <see cref="InvoiceTax"/> applied.</summary>
public sealed class TaxRateDetails
{
    public required string TaxRate { get; init; }
}
