using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using VersionKit.Pins;

namespace VersionKit.AspNetCore;

/// <summary>
/// VersionKit's meter (<c>VersionKit</c>) and log events. <c>versionkit.requests</c> counts versioned requests by
/// <c>version</c>, <c>source</c> and <c>deprecated</c>; <c>versionkit.refused_versions</c> counts bad version headers;
/// <c>versionkit.pin_changes</c> counts pin changes by <c>reason</c>; <c>versionkit.store_unavailable</c> counts requests
/// that met a pin store that could not be read, by <c>outcome</c> (<c>cached</c> or <c>503</c>).
/// </summary>
internal sealed partial class VersionKitTelemetry
{
    public const string MeterName = "VersionKit";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _pinChanges;
    private readonly Counter<long> _storeUnavailable;
    private readonly ILogger _logger;

    public VersionKitTelemetry(IMeterFactory meters, ILoggerFactory loggers, ApiVersionPins pins)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("versionkit.requests", "{request}", "Versioned requests by resolved version and the source that decided it.");
        _refused = meter.CreateCounter<long>("versionkit.refused_versions", "{request}", "Requests refused for a malformed, unknown or repeated version.");
        _pinChanges = meter.CreateCounter<long>("versionkit.pin_changes", "{change}", "Pin changes by reason.");
        _storeUnavailable = meter.CreateCounter<long>("versionkit.store_unavailable", "{request}", "Requests that met a pin store that could not be read.");
        _logger = loggers.CreateLogger("VersionKit");
        pins.Changed += OnPinChanged;
        pins.ServedFromCache += (account, exception) => StoreUnavailable(account, servedCached: true, exception);
    }

    public void Resolved(ApiVersionFeature feature, bool deprecated)
        => _requests.Add(1, new("version", feature.Version.ToString()), new("source", feature.Source.ToString().ToLowerInvariant()), new("deprecated", deprecated));

    public void Refused(string value, string error)
    {
        _refused.Add(1);
        LogVersionRefused(_logger, value, error);
    }

    public void StoreUnavailable(string account, bool servedCached, Exception exception)
    {
        _storeUnavailable.Add(1, new KeyValuePair<string, object?>("outcome", servedCached ? "cached" : "503"));
        LogStoreUnavailable(_logger, exception, account, servedCached ? "the cached pin was served" : "the request got 503");
    }

    private void OnPinChanged(PinChange change)
    {
        _pinChanges.Add(1, new KeyValuePair<string, object?>("reason", change.Reason.ToString().ToLowerInvariant()));
        switch (change.Reason)
        {
            case PinChangeReason.Upgrade:
                LogUpgraded(_logger, change.AccountId, change.From, change.To, change.Actor);
                break;
            case PinChangeReason.Rollback:
                LogRolledBack(_logger, change.AccountId, change.From, change.To, change.Actor);
                break;
            default:
                LogPinned(_logger, change.AccountId, change.To, change.Reason, change.Actor);
                break;
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Account {Account} pinned to {Version} ({Reason}, by {Actor})")]
    private static partial void LogPinned(ILogger logger, string account, ApiVersion version, PinChangeReason reason, string actor);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Account {Account} upgraded its pin from {From} to {To} (by {Actor})")]
    private static partial void LogUpgraded(ILogger logger, string account, ApiVersion? from, ApiVersion to, string actor);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Account {Account} rolled its pin back from {From} to {To} (by {Actor})")]
    private static partial void LogRolledBack(ILogger logger, string account, ApiVersion? from, ApiVersion to, string actor);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Refused API version '{Value}': {Error}")]
    private static partial void LogVersionRefused(ILogger logger, string value, string error);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "The pin store could not be read for account {Account}; {Outcome}")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception, string account, string outcome);
}
