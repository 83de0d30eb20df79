namespace VersionKit.Stripe;

/// <summary>
/// Stripe's subscription, in its current shape (Data/subscription.json), trimmed of rarely-used fields, with its
/// <c>items</c> list of <see cref="SubscriptionItem"/> resources. Expandable fields the example leaves unexpanded
/// (<c>customer</c>, <c>latest_invoice</c>, <c>schedule</c>, ...) are ids.
/// </summary>
[ApiResource("subscription")]
public sealed class Subscription
{
    public SubscriptionAutomaticTax? AutomaticTax { get; init; }

    public long BillingCycleAnchor { get; init; }

    public long? CancelAt { get; init; }

    public long? CanceledAt { get; init; }

    public CancellationDetails? CancellationDetails { get; init; }

    /// <summary><c>charge_automatically</c> or <c>send_invoice</c>; called <c>billing</c> before 2019-10-17.</summary>
    public required string CollectionMethod { get; init; }

    public long Created { get; init; }

    public required string Currency { get; init; }

    public required string Customer { get; init; }

    public long? DaysUntilDue { get; init; }

    public string? DefaultPaymentMethod { get; init; }

    public string? Description { get; init; }

    public List<string> Discounts { get; init; } = [];

    public long? EndedAt { get; init; }

    public required string Id { get; init; }

    /// <summary>The subscription's items; since 2025-03-31.basil each carries its own billing period.</summary>
    public required ApiList<SubscriptionItem> Items { get; init; }

    public string? LatestInvoice { get; init; }

    public bool Livemode { get; init; }

    public Dictionary<string, string> Metadata { get; init; } = [];

    public string Object => "subscription";

    public PauseCollection? PauseCollection { get; init; }

    public string? PendingSetupIntent { get; init; }

    public string? Schedule { get; init; }

    public long StartDate { get; init; }

    public required string Status { get; init; }

    public long? TrialEnd { get; init; }

    public TrialSettings? TrialSettings { get; init; }

    public long? TrialStart { get; init; }

    public bool CancelAtPeriodEnd { get; init; }
}

/// <summary>Stripe Tax's settings of a subscription.</summary>
public sealed class SubscriptionAutomaticTax
{
    public bool Enabled { get; init; }

    public ConnectAccountReference? Liability { get; init; }

    public string? DisabledReason { get; init; }
}

/// <summary>Why a subscription was canceled.</summary>
public sealed class CancellationDetails
{
    public string? Comment { get; init; }

    public string? Feedback { get; init; }

    public string? Reason { get; init; }
}

/// <summary>How a paused subscription's invoices are collected.</summary>
public sealed class PauseCollection
{
    public required string Behavior { get; init; }

    public long? ResumesAt { get; init; }
}

/// <summary>What happens when a subscription's trial ends.</summary>
public sealed class TrialSettings
{
    public required TrialEndBehavior EndBehavior { get; init; }
}

/// <summary>What a subscription does at the end of its trial without a payment method.</summary>
public sealed class TrialEndBehavior
{
    public required string MissingPaymentMethod { get; init; }
}

/// <summary>Stripe's subscription item, as a subscription's <c>items</c> list holds it.</summary>
[ApiResource("subscription_item")]
public sealed class SubscriptionItem
{
    public long Created { get; init; }

    public List<string> Discounts { get; init; } = [];

    public required string Id { get; init; }

    public Dictionary<string, string> Metadata { get; init; } = [];

    public string Object => "subscription_item";

    public Price? Price { get; init; }

    public long? Quantity { get; init; }

    public required string Subscription { get; init; }

    /// <summary>Since 2025-03-31.basil; before, the subscription itself had <c>current_period_end</c>.</summary>
    public long CurrentPeriodEnd { get; init; }

    /// <summary>Since 2025-03-31.basil; before, the subscription itself had <c>current_period_start</c>.</summary>
    public long CurrentPeriodStart { get; init; }
}

/// <summary>A price, expanded in a subscription item (its JSON <c>object</c> is <c>price</c>).</summary>
public sealed class Price
{
    public bool Active { get; init; }

    public required string BillingScheme { get; init; }

    public long Created { get; init; }

    public required string Currency { get; init; }

    public required string Id { get; init; }

    public bool Livemode { get; init; }

    public string? LookupKey { get; init; }

    public Dictionary<string, string> Metadata { get; init; } = [];

    public string? Nickname { get; init; }

    public string Object => "price";

    public required string Product { get; init; }

    public PriceRecurring? Recurring { get; init; }

    public string? TaxBehavior { get; init; }

    public required string Type { get; init; }

    public long? UnitAmount { get; init; }

    public string? UnitAmountDecimal { get; init; }
}

/// <summary>How often a recurring price bills.</summary>
public sealed class PriceRecurring
{
    public required string Interval { get; init; }

    public long IntervalCount { get; init; }

    public string? Meter { get; init; }

    public required string UsageType { get; init; }

    public long? TrialPeriodDays { get; init; }
}
