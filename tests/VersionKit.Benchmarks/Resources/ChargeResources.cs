using VersionKit.Benchmarks.History;

namespace VersionKit.Benchmarks;

// Seven resources with the 43 fields of Stripe's charge, told apart by their object name, so that each case of the
// synthetic history (History/SyntheticHistory.cs) renders the same payload through a different chain.

/// <summary>Resource A: 100 declarative changes in the newest 100 versions.</summary>
[ApiResource("charge")]
public sealed class Charge : ChargeFields
{
    protected override string ObjectName => "charge";
}

/// <summary>Resource B: 100 changes in the newest 100 versions, 10 of them typed code on the one field it touches (the documented default).</summary>
[ApiResource("code_charge")]
public sealed class CodeCharge : ChargeFields
{
    protected override string ObjectName => "code_charge";
}

/// <summary>Resource B-json: the changes of B, its code in the JSON form on the one field it declares.</summary>
[ApiResource("json_code_charge")]
public sealed class JsonCodeCharge : ChargeFields
{
    protected override string ObjectName => "json_code_charge";
}

/// <summary>Resource B': the changes of B, its code in the JSON form declaring no field, so that it runs on the whole resource.</summary>
[ApiResource("object_code_charge")]
public sealed class ObjectCodeCharge : ChargeFields
{
    protected override string ObjectName => "object_code_charge";
}

/// <summary>Resource E: 100 changes in the newest 100 versions, 10 of them removed fields whose old value a typed computation takes from the C# object.</summary>
[ApiResource("computed_charge")]
public sealed class ComputedCharge : ChargeFields
{
    protected override string ObjectName => "computed_charge";
}

/// <summary>Resource C: no change at all, in a history of 500 versions.</summary>
[ApiResource("quiet_charge")]
public sealed class QuietCharge : ChargeFields
{
    protected override string ObjectName => "quiet_charge";
}

/// <summary>Resource D: one declarative change in every one of the 500 versions.</summary>
[ApiResource("busy_charge")]
public sealed class BusyCharge : ChargeFields
{
    protected override string ObjectName => "busy_charge";
}

/// <summary>Stripe's event (the fields of Data/event.json), about a charge.</summary>
[ApiResource("event")]
public sealed class Event
{
    public string? ApiVersion { get; init; }

    public long Created { get; init; }

    public EventData? Data { get; init; }

    public string? Id { get; init; }

    public bool Livemode { get; init; }

    public string Object => "event";

    public long PendingWebhooks { get; init; }

    public EventRequest? Request { get; init; }

    public string? Type { get; init; }
}

public sealed class EventData
{
    public Charge? Object { get; init; }
}

public sealed class EventRequest
{
    public string? Id { get; init; }

    public string? IdempotencyKey { get; init; }
}
