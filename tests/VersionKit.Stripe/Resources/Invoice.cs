namespace VersionKit.Stripe;

/// <summary>
/// Stripe's invoice, in its current shape (Data/invoice.json), trimmed of rarely-used fields, with its <c>lines</c>
/// list of <see cref="LineItem"/> resources. Expandable fields the example leaves unexpanded (<c>customer</c>,
/// <c>subscription</c>, <c>discounts</c>, ...) are ids.
/// </summary>
[ApiResource("invoice")]
public sealed class Invoice
{
    public string? AccountCountry { get; init; }

    public string? AccountName { get; init; }

    public long AmountDue { get; init; }

    public long AmountPaid { get; init; }

    public long AmountRemaining { get; init; }

    public long AttemptCount { get; init; }

    public bool Attempted { get; init; }

    /// <summary>Since 2018-11-08; older versions have <c>closed</c>, its negation, instead.</summary>
    public bool AutoAdvance { get; init; }

    public InvoiceAutomaticTax? AutomaticTax { get; init; }

    public string? BillingReason { get; init; }

    /// <summary><c>charge_automatically</c> or <c>send_invoice</c>; called <c>billing</c> before 2019-10-17.</summary>
    public required string CollectionMethod { get; init; }

    public long Created { get; init; }

    public required string Currency { get; init; }

    public string? Customer { get; init; }

    public Address? CustomerAddress { get; init; }

    public string? CustomerEmail { get; init; }

    public string? CustomerName { get; init; }

    public string? CustomerTaxExempt { get; init; }

    public string? DefaultPaymentMethod { get; init; }

    public string? Description { get; init; }

    public List<string> Discounts { get; init; } = [];

    public long? DueDate { get; init; }

    public long? EndingBalance { get; init; }

    public string? Footer { get; init; }

    public string? HostedInvoiceUrl { get; init; }

    public required string Id { get; init; }

    public string? InvoicePdf { get; init; }

    public ConnectAccountReference? Issuer { get; init; }

    public required ApiList<LineItem> Lines { get; init; }

    public bool Livemode { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public long? NextPaymentAttempt { get; init; }

    public string? Number { get; init; }

    public string Object => "invoice";

    public InvoicePaymentSettings? PaymentSettings { get; init; }

    public long PeriodEnd { get; init; }

    public long PeriodStart { get; init; }

    public string? ReceiptNumber { get; init; }

    public InvoiceRendering? Rendering { get; init; }

    public long StartingBalance { get; init; }

    public string? StatementDescriptor { get; init; }

    public string? Status { get; init; }

    public InvoiceStatusTransitions? StatusTransitions { get; init; }

    public string? Subscription { get; init; }

    public long Subtotal { get; init; }

    public long Total { get; init; }

    public long? TotalExcludingTax { get; init; }

    public long? WebhooksDeliveredAt { get; init; }

    /// <summary>Since 2025-03-31.basil; older versions have <c>total_tax_amounts</c> instead.</summary>
    public List<InvoiceTax>? TotalTaxes { get; init; }

    public InvoiceParent? Parent { get; init; }
}

/// <summary>Stripe Tax's settings of an invoice.</summary>
public sealed class InvoiceAutomaticTax
{
    public bool Enabled { get; init; }

    public ConnectAccountReference? Liability { get; init; }

    public string? Status { get; init; }
}

/// <summary>How an invoice is paid.</summary>
public sealed class InvoicePaymentSettings
{
    public string? DefaultMandate { get; init; }

    public InvoicePaymentMethodOptions? PaymentMethodOptions { get; init; }

    public List<string>? PaymentMethodTypes { get; init; }
}

/// <summary>Options per payment method of an invoice (the three of Stripe's example that hold values).</summary>
public sealed class InvoicePaymentMethodOptions
{
    public BancontactOptions? Bancontact { get; init; }

    public InvoiceCardOptions? Card { get; init; }

    public CustomerBalanceOptions? CustomerBalance { get; init; }
}

/// <summary>Bancontact options of an invoice.</summary>
public sealed class BancontactOptions
{
    public string? PreferredLanguage { get; init; }
}

/// <summary>Card options of an invoice.</summary>
public sealed class InvoiceCardOptions
{
    public string? RequestThreeDSecure { get; init; }
}

/// <summary>Customer balance options of an invoice.</summary>
public sealed class CustomerBalanceOptions
{
    public string? FundingType { get; init; }
}

/// <summary>How an invoice's PDF is rendered.</summary>
public sealed class InvoiceRendering
{
    public string? AmountTaxDisplay { get; init; }

    public InvoicePdf? Pdf { get; init; }

    public string? Template { get; init; }

    public long? TemplateVersion { get; init; }
}

/// <summary>The PDF settings of an invoice.</summary>
public sealed class InvoicePdf
{
    public string? PageSize { get; init; }
}

/// <summary>When an invoice changed status.</summary>
public sealed class InvoiceStatusTransitions
{
    public long? FinalizedAt { get; init; }

    public long? MarkedUncollectibleAt { get; init; }

    public long? PaidAt { get; init; }

    public long? VoidedAt { get; init; }
}

/// <summary>What an invoice was made for: a quote or a subscription.</summary>
public sealed class InvoiceParent
{
    public QuoteDetails? QuoteDetails { get; init; }

    public InvoiceSubscriptionDetails? SubscriptionDetails { get; init; }

    public required string Type { get; init; }
}

/// <summary>The quote an invoice was made from.</summary>
public sealed class QuoteDetails
{
    public required string Quote { get; init; }
}

/// <summary>The subscription an invoice was made for.</summary>
public sealed class InvoiceSubscriptionDetails
{
    public Dictionary<string, string>? Metadata { get; init; }

    public required string Subscription { get; init; }
}

/// <summary>Stripe's invoice line item, as an invoice's <c>lines</c> list holds it.</summary>
[ApiResource("line_item")]
public sealed class LineItem
{
    public long Amount { get; init; }

    public required string Currency { get; init; }

    public string? Description { get; init; }

    public List<DiscountAmount> DiscountAmounts { get; init; } = [];

    public bool Discountable { get; init; }

    public List<string> Discounts { get; init; } = [];

    public required string Id { get; init; }

    public string? Invoice { get; init; }

    public bool Livemode { get; init; }

    public Dictionary<string, string> Metadata { get; init; } = [];

    public string Object => "line_item";

    public required LineItemPeriod Period { get; init; }

    public long? Quantity { get; init; }

    public string? Subscription { get; init; }

    /// <summary>Since 2025-03-31.basil; older versions have <c>tax_amounts</c> instead.</summary>
    public List<InvoiceTax>? Taxes { get; init; }

    public LineItemParent? Parent { get; init; }

    public LineItemPricing? Pricing { get; init; }

    public long Subtotal { get; init; }
}

/// <summary>A discount's share of a line item.</summary>
public sealed class DiscountAmount
{
    public long Amount { get; init; }

    public required string Discount { get; init; }
}

/// <summary>The period a line item covers.</summary>
public sealed class LineItemPeriod
{
    public long End { get; init; }

    public long Start { get; init; }
}

/// <summary>What a line item was made from: an invoice item or a subscription item.</summary>
public sealed class LineItemParent
{
    public InvoiceItemParentDetails? InvoiceItemDetails { get; init; }

    public SubscriptionItemParentDetails? SubscriptionItemDetails { get; init; }

    public required string Type { get; init; }
}

/// <summary>The invoice item a line item was made from.</summary>
public sealed class InvoiceItemParentDetails
{
    public string? InvoiceItem { get; init; }

    public bool Proration { get; init; }

    public ProrationDetails? ProrationDetails { get; init; }

    public string? Subscription { get; init; }
}

/// <summary>The subscription item a line item was made from.</summary>
public sealed class SubscriptionItemParentDetails
{
    public string? InvoiceItem { get; init; }

    public bool Proration { get; init; }

    public ProrationDetails? ProrationDetails { get; init; }

    public string? Subscription { get; init; }

    public string? SubscriptionItem { get; init; }
}

/// <summary>What a proration credits.</summary>
public sealed class ProrationDetails
{
    public CreditedItems? CreditedItems { get; init; }
}

/// <summary>The invoice and line items a proration credits.</summary>
public sealed class CreditedItems
{
    public required string Invoice { get; init; }

    public List<string> InvoiceLineItems { get; init; } = [];
}

/// <summary>How a line item is priced.</summary>
public sealed class LineItemPricing
{
    public required string Type { get; init; }

    public string? UnitAmountDecimal { get; init; }
}
