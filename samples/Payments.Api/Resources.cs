using VersionKit;

namespace Payments.Api;

// The resources as the latest version shows them. Older shapes live only in Changes/.

[ApiResource("customer")]
public sealed class Customer
{
    public required string Id { get; init; }

    public string Object => "customer";

    public required long Created { get; init; }

    public required string Email { get; init; }

    public string? Name { get; init; }

    public long Balance { get; init; }

    /// <summary>The languages of the customer's emails and receipts, most preferred first (the preview only).</summary>
    public IReadOnlyList<string> PreferredLocales { get; init; } = [];
}

[ApiResource("bank_account")]
public sealed class BankAccount
{
    public required string Id { get; init; }

    public string Object => "bank_account";

    public required string Customer { get; init; }

    public string? AccountHolderName { get; init; }

    public required string Country { get; init; }

    public required string Currency { get; init; }

    public required string Last4 { get; init; }

    public required string RoutingNumber { get; init; }

    /// <summary>One of <c>new</c>, <c>validated</c>, <c>verified</c>, <c>verification_failed</c>, <c>errored</c>.</summary>
    public required string Status { get; init; }
}

[ApiResource("charge")]
public sealed class Charge
{
    public required string Id { get; init; }

    public string Object => "charge";

    public required long Amount { get; init; }

    public long AmountRefunded { get; init; }

    public required string Currency { get; init; }

    public string? Customer { get; init; }

    public required long Created { get; init; }

    public bool Paid { get; init; } = true;

    public string Status { get; init; } = "succeeded";

    public string? Source { get; init; }

    public string? ReceiptEmail { get; init; }

    /// <summary>How risky the charge looked, 0 to 100, for the dashboard's own views: an internal field of the preview.</summary>
    public int? RiskScore { get; init; }
}

[ApiResource("transfer")]
public sealed class Transfer
{
    public required string Id { get; init; }

    public string Object => "transfer";

    public required long Amount { get; init; }

    public required string Currency { get; init; }

    public required string Destination { get; init; }

    public required long Created { get; init; }

    /// <summary><c>paid</c> for transfers to accounts; legacy transfers to bank accounts start <c>pending</c>.</summary>
    public required string Status { get; init; }
}

[ApiResource("event")]
public sealed class Event
{
    public required string Id { get; init; }

    public string Object => "event";

    /// <summary>The version <c>data</c> is rendered at: the account's version when the event happened, unless a reader or an endpoint names another.</summary>
    public string? ApiVersion { get; init; }

    public required string Type { get; init; }

    public required long Created { get; init; }

    public required EventData Data { get; init; }

    public EventRequest? Request { get; init; }

    public int PendingWebhooks { get; init; }
}

public sealed class EventData
{
    /// <summary>The resource the event is about, rendered at the caller's version like any other.</summary>
    public required object Object { get; init; }
}

public sealed class EventRequest
{
    public required string Id { get; init; }

    public string? IdempotencyKey { get; init; }
}

/// <summary>The money in an account, per currency: what it has been paid, less what it has transferred out.</summary>
[ApiResource("balance")]
public sealed class Balance
{
    public string Object => "balance";

    public required IReadOnlyList<BalanceAmount> Available { get; init; }

    /// <summary>Legacy transfers to bank accounts, which start pending, as the negative amounts they will take.</summary>
    public required IReadOnlyList<BalanceAmount> Pending { get; init; }
}

public sealed class BalanceAmount
{
    public required long Amount { get; init; }

    public required string Currency { get; init; }
}

/// <summary>Who a platform paid out to before transfers went to connected accounts: its endpoints end at 2017-04-06.</summary>
[ApiResource("recipient")]
public sealed class Recipient
{
    public required string Id { get; init; }

    public string Object => "recipient";

    public required string Name { get; init; }

    /// <summary><c>individual</c> or <c>corporation</c>.</summary>
    public required string Type { get; init; }

    public string? Email { get; init; }

    public required long Created { get; init; }
}

[ApiResource("account")]
public sealed class Account
{
    public required string Id { get; init; }

    public string Object => "account";

    /// <summary>The version the account is pinned to.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>The platform the account is connected to, if any.</summary>
    public string? Platform { get; init; }

    public required long Created { get; init; }
}

[ApiResource("webhook_endpoint")]
public sealed class WebhookEndpoint
{
    public required string Id { get; init; }

    public string Object => "webhook_endpoint";

    /// <summary>The version its events are rendered at.</summary>
    public required string ApiVersion { get; init; }

    public required long Created { get; init; }

    /// <summary>The event types it receives; <c>*</c> for all.</summary>
    public required IReadOnlyList<string> EnabledEvents { get; init; }

    /// <summary>The signing secret: in the answer to its creation only, as Stripe shows it once.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    /// <summary><c>enabled</c>, or <c>disabled</c> once a delivery to it failed every attempt of the retry schedule.</summary>
    public required string Status { get; init; }

    public required string Url { get; init; }
}
