using System.Diagnostics.CodeAnalysis;

namespace VersionKit.Pins;

/// <summary>Who changes an account's pin, in the audit trail.</summary>
public enum PinActorKind
{
    /// <summary>The account itself (its own key, its own dashboard user).</summary>
    Account,

    /// <summary>A platform acting for one of its connected accounts; the id is the platform's.</summary>
    Platform,

    /// <summary>An application (an OAuth app) acting for the account; the id is the application's.</summary>
    Application,

    /// <summary>Someone running the API: support staff, a migration script, a test helper; the id names them.</summary>
    Operator,
}

/// <summary>
/// Who changed a pin and, for all but the account itself, which platform, application or operator. Recorded in
/// <see cref="PinChange.Actor"/> as <c>kind:id</c> (<c>platform:acct_1Pl</c>), so that any store keeps it as text.
/// </summary>
/// <param name="Kind">Whose action it was.</param>
/// <param name="Id">The account, platform, application or operator.</param>
public readonly record struct PinActor(PinActorKind Kind, string Id)
{
    /// <summary>The account itself.</summary>
    public static PinActor Account(string accountId) => new(PinActorKind.Account, accountId);

    /// <summary>A platform acting for a connected account.</summary>
    public static PinActor Platform(string platformId) => new(PinActorKind.Platform, platformId);

    /// <summary>An application acting for the account.</summary>
    public static PinActor Application(string applicationId) => new(PinActorKind.Application, applicationId);

    /// <summary>An operator of the API.</summary>
    public static PinActor Operator(string name) => new(PinActorKind.Operator, name);

    /// <summary>The actor as the audit trail records it: <c>kind:id</c>, the kind in lower case.</summary>
    public override string ToString() => Kind switch
    {
        PinActorKind.Account => "account:",
        PinActorKind.Platform => "platform:",
        PinActorKind.Application => "application:",
        PinActorKind.Operator => "operator:",
        _ => throw new InvalidOperationException("Unknown actor kind " + Kind),
    } + Id;

    /// <summary>Reads an actor the audit trail recorded; false for what VersionKit records itself (<c>first_request</c>) and for text of another form.</summary>
    public static bool TryParse([NotNullWhen(true)] string? recorded, out PinActor actor)
    {
        actor = default;
        int colon = recorded?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || colon == recorded!.Length - 1)
        {
            return false;
        }

        PinActorKind? kind = recorded[..colon] switch
        {
            "account" => PinActorKind.Account,
            "platform" => PinActorKind.Platform,
            "application" => PinActorKind.Application,
            "operator" => PinActorKind.Operator,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        actor = new PinActor(kind.Value, recorded[(colon + 1)..]);
        return true;
    }
}
