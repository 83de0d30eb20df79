using VersionKit.Pins;
using Microsoft.Extensions.DependencyInjection;

namespace VersionKit.AspNetCore;

/// <summary>Where pins live, as the builder was told.</summary>
internal enum PinStoreChoice
{
    None,
    Store,
    Without,
}

// WithoutPins(): no account has a pin, and none is ever made; the middleware does not ask for one.
internal sealed class NoPinStore : IApiVersionPinStore
{
    private static InvalidOperationException Refusal() => new(VersionKitServiceCollectionExtensions.NoStoreMessage);

    public Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default) => Task.FromResult<ApiVersionPin?>(null);

    public Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<PinChange>>([]);
}
