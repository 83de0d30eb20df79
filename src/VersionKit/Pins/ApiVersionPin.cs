namespace VersionKit.Pins;

/// <summary>Why an account's pinned version changed.</summary>
public enum PinChangeReason
{
    /// <summary>The account's first authenticated request pinned it to the latest version.</summary>
    FirstRequest,

    /// <summary>The account moved its pin forward.</summary>
    Upgrade,

    /// <summary>The account went back to its previous pin, within the rollback window.</summary>
    Rollback,

    /// <summary>The app pinned a new account explicitly (an account created at a known version, an import).</summary>
    Assigned,
}

/// <summary>The version an account is pinned to.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Version">The version every call of the account gets unless it names another.</param>
/// <param name="PreviousVersion">The version before the last upgrade, which a rollback returns to; <see langword="null"/> when there is none.</param>
/// <param name="ChangedAt">When the pin last changed.</param>
/// <param name="Reason">Why it last changed.</param>
public sealed record ApiVersionPin(string AccountId, ApiVersion Version, ApiVersion? PreviousVersion, DateTimeOffset ChangedAt, PinChangeReason Reason);

/// <summary>One change of an account's pin, as the audit trail records it.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="From">The version before; <see langword="null"/> when the account is pinned for the first time.</param>
/// <param name="To">The version after.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who: a <see cref="PinActor"/> as text (<c>platform:acct_1Pl</c>), or <c>first_request</c> for the automatic pin.</param>
/// <param name="Reason">Why.</param>
public sealed record PinChange(string AccountId, ApiVersion? From, ApiVersion To, DateTimeOffset At, string Actor, PinChangeReason Reason);

/// <summary>The store of pins could not be read or written (connection lost, database down). Nothing was changed.</summary>
public sealed class PinStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PinStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A pin change that the rules refuse: a downgrade, a rollback outside its window, an unknown version.</summary>
public sealed class PinChangeRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PinChangeRefusedException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Another writer changed the pin between the read and the write; nothing was changed. Thrown by
/// <see cref="IApiVersionPinStore.ChangeAsync"/> when the current pin is not the one expected.
/// </summary>
public sealed class PinConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PinConflictException(string accountId, ApiVersion expected, ApiVersion? actual)
        : base($"The pin of account '{accountId}' is {(actual?.ToString() ?? "absent")}, not {expected}; it changed meanwhile.")
    {
        AccountId = accountId;
    }

    /// <summary>The account.</summary>
    public string AccountId { get; }
}
