namespace VersionKit.Webhooks;

/// <summary>
/// Something that happened to an account, as recorded when it happened: the version it was made at, the payload it was
/// made from (its current shape then), and its JSON at that version, which never changes afterwards.
/// </summary>
public sealed class ApiEvent
{
    /// <summary>Creates the record of an event.</summary>
    /// <param name="id">The event's id (<c>evt_...</c>).</param>
    /// <param name="accountId">The account it happened to.</param>
    /// <param name="type">What happened (<c>charge.succeeded</c>).</param>
    /// <param name="apiVersion">The account's version when it happened: the version the event is rendered at from then on.</param>
    /// <param name="created">When it happened.</param>
    /// <param name="payload">The event in the current shape of the code that made it, as the app's JSON options write it.</param>
    /// <param name="body">The event rendered at <paramref name="apiVersion"/>.</param>
    public ApiEvent(string id, string accountId, string type, ApiVersion apiVersion, DateTimeOffset created, ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(type);
        Id = id;
        AccountId = accountId;
        Type = type;
        ApiVersion = apiVersion;
        Created = created;
        Payload = payload;
        Body = body;
    }

    /// <summary>The event's id.</summary>
    public string Id { get; }

    /// <summary>The account it happened to.</summary>
    public string AccountId { get; }

    /// <summary>What happened (<c>charge.succeeded</c>).</summary>
    public string Type { get; }

    /// <summary>The version it was made at, and is rendered at unless a reader names another.</summary>
    public ApiVersion ApiVersion { get; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>The event in the current shape of the code that made it (UTF-8 JSON): what renderings at other versions start from.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The event rendered at <see cref="ApiVersion"/> (UTF-8 JSON), as it was stored when the event was made.</summary>
    public ReadOnlyMemory<byte> Body { get; }
}

/// <summary>An event's JSON at one version.</summary>
/// <param name="ApiVersion">The version.</param>
/// <param name="Body">The event rendered at it (UTF-8 JSON).</param>
public sealed record EventRendering(ApiVersion ApiVersion, ReadOnlyMemory<byte> Body);
