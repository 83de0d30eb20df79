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

/// <summary>
/// A list envelope whose items the object does not hold (an API reads them from its store when a request expands
/// them): empty, with Stripe's <c>total_count</c>.
/// </summary>
/// <typeparam name="T">What the list would hold.</typeparam>
public sealed class UnexpandedList<T>(string url)
{
    public string Object => "list";

    public IReadOnlyList<T> Data => [];

    public bool HasMore => false;

    public long TotalCount => 0;

    public string Url { get; } = url;
}

/// <summary>A customer's tax id, as its list would hold it.</summary>
public sealed class TaxId
{
    public required string Id { get; init; }

    public string Object { get; init; } = "tax_id";

    public required string Type { get; init; }

    public required string Value { get; init; }
}

/// <summary>A tax on an invoice or a line item as it was before 2025-03-31.basil (<c>total_tax_amounts</c>, <c>tax_amounts</c>).</summary>
public sealed class TaxAmount
{
    public long Amount { get; init; }

    public bool Inclusive { get; init; }

    public string? TaxRate { get; init; }

    public string? TaxabilityReason { get; init; }

    public long? TaxableAmount { get; init; }
}
