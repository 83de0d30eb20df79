namespace VersionKit.Stripe;

/// <summary>
/// Stripe's customer, in its current shape (Data/customer.json), trimmed of rarely-used fields. Its <c>sources</c>,
/// <c>subscriptions</c> and <c>tax_ids</c> lists are not part of it: since 2020-08-27 they come only when a request
/// expands them, and older versions get them back (StripeHistory's 2020-08-27 change).
/// </summary>
[ApiResource("customer")]
public sealed class Customer
{
    public Address? Address { get; init; }

    /// <summary>Called <c>account_balance</c> before 2019-10-17.</summary>
    public long Balance { get; init; }

    public long Created { get; init; }

    public string? Currency { get; init; }

    /// <summary>An id (expandable); before 2015-02-18 the customer also had <c>default_card</c>.</summary>
    public string? DefaultSource { get; init; }

    public bool? Delinquent { get; init; }

    public string? Description { get; init; }

    public Discount? Discount { get; init; }

    public string? Email { get; init; }

    public required string Id { get; init; }

    public string? InvoicePrefix { get; init; }

    public CustomerInvoiceSettings? InvoiceSettings { get; init; }

    public bool Livemode { get; init; }

    public Dictionary<string, string> Metadata { get; init; } = [];

    public string? Name { get; init; }

    public long? NextInvoiceSequence { get; init; }

    public string Object => "customer";

    public string? Phone { get; init; }

    public List<string> PreferredLocales { get; init; } = [];

    public string? TaxExempt { get; init; }

    public string? TestClock { get; init; }
}

/// <summary>A discount applied to a customer (its JSON <c>object</c> is <c>discount</c>).</summary>
public sealed class Discount
{
    public string? Customer { get; init; }

    public long? End { get; init; }

    public required string Id { get; init; }

    public string Object => "discount";

    public string? PromotionCode { get; init; }

    public long Start { get; init; }

    public string? Subscription { get; init; }

    public DiscountSource? Source { get; init; }
}

/// <summary>What a discount comes from: a coupon.</summary>
public sealed class DiscountSource
{
    public string? Coupon { get; init; }

    public required string Type { get; init; }
}

/// <summary>The customer's default invoice settings.</summary>
public sealed class CustomerInvoiceSettings
{
    public List<InvoiceCustomField>? CustomFields { get; init; }

    public string? DefaultPaymentMethod { get; init; }

    public string? Footer { get; init; }

    public CustomerRenderingOptions? RenderingOptions { get; init; }
}

/// <summary>A custom field shown on the customer's invoices.</summary>
public sealed class InvoiceCustomField
{
    public required string Name { get; init; }

    public required string Value { get; init; }
}

/// <summary>How the customer's invoices are rendered.</summary>
public sealed class CustomerRenderingOptions
{
    public string? AmountTaxDisplay { get; init; }

    public string? Template { get; init; }
}
