namespace VersionKit.Pins;

/// <summary>
/// A pin as the cache keeps it: 16 bytes beside its key, so that a cache of a million accounts costs what its keys do and
/// not an object graph each. The account id is the cache's key; versions are indexes into the history's versions.
/// </summary>
internal readonly struct CachedPin
{
    // DateTimeOffset.MaxValue.UtcTicks is below 2^62: the top two bits hold the reason.
    private const int ReasonShift = 62;
    private const long TicksMask = (1L << ReasonShift) - 1;

    private readonly long _changedAtAndReason;
    private readonly int _freshUntil;
    private readonly ushort _version;
    private readonly ushort _previousPlusOne;

    private CachedPin(long changedAtAndReason, int freshUntil, ushort version, ushort previousPlusOne)
    {
        _changedAtAndReason = changedAtAndReason;
        _freshUntil = freshUntil;
        _version = version;
        _previousPlusOne = previousPlusOne;
    }

    /// <summary>The pin in its cached form; false for a pin at a version the history does not have (a store written by another build).</summary>
    public static bool TryCreate(ApiVersionPin pin, ApiHistory history, int freshUntil, out CachedPin cached)
    {
        int version = history.IndexOf(pin.Version);
        int previous = pin.PreviousVersion is { } before ? history.IndexOf(before) : -1;
        if (version < 0 || version >= ushort.MaxValue || (pin.PreviousVersion is not null && (previous < 0 || previous >= ushort.MaxValue - 1)))
        {
            cached = default;
            return false;
        }

        cached = new CachedPin(pin.ChangedAt.UtcTicks | ((long)pin.Reason << ReasonShift), freshUntil, (ushort)version, (ushort)(previous + 1));
        return true;
    }

    /// <summary>Until when (in the cache's clock units) the pin is served without asking the store.</summary>
    public int FreshUntil => _freshUntil;

    public ApiVersionPin ToPin(string accountId, ApiHistory history) => new(
        accountId,
        history.Versions[_version],
        _previousPlusOne == 0 ? null : history.Versions[_previousPlusOne - 1],
        new DateTimeOffset(_changedAtAndReason & TicksMask, TimeSpan.Zero),
        (PinChangeReason)(_changedAtAndReason >>> ReasonShift));
}
