using VersionKit.Pins;

namespace VersionKit.Tests;

public class PinTimeoutTests
{
    /// <summary>A store that stops answering, as a database behind a dropped network would.</summary>
    private sealed class HangingStore(IApiVersionPinStore inner) : IApiVersionPinStore
    {
        public volatile bool Hanging;

        private async Task<T> Answer<T>(Func<Task<T>> call, CancellationToken token)
        {
            if (Hanging)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return await call();
        }

        public Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default)
            => Answer(() => inner.FindAsync(accountId, cancellationToken), cancellationToken);

        public Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default)
            => Answer(() => inner.PinIfAbsentAsync(change, cancellationToken), cancellationToken);

        public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default)
            => Answer(() => inner.ChangeAsync(change, previousVersion, cancellationToken), cancellationToken);

        public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default)
            => Answer(() => inner.GetChangesAsync(accountId, cancellationToken), cancellationToken);
    }

    [Fact]
    public async Task A_store_that_hangs_counts_as_unavailable_the_cached_pin_is_served_and_nobody_is_repinned()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var inner = new InMemoryPinStore();
        var store = new HangingStore(inner);
        var pins = new ApiVersionPins(WidgetHistory.Default, store, clock, new PinOptions { StoreTimeout = TimeSpan.FromMilliseconds(200), CacheDuration = TimeSpan.FromSeconds(1) });
        await pins.AssignAsync("acct_known", ApiVersion.Parse("2020-01-01"), PinActor.Operator("test"));

        store.Hanging = true;
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ApiVersion.Parse("2020-01-01"), (await pins.GetOrPinAsync("acct_known")).Version);
        var error = await Assert.ThrowsAsync<PinStoreUnavailableException>(() => pins.GetOrPinAsync("acct_new"));
        Assert.Contains("did not answer within 0.2 s", error.Message, StringComparison.Ordinal);

        store.Hanging = false;
        Assert.Null(await inner.FindAsync("acct_new"));
        Assert.Single(await inner.GetChangesAsync("acct_known"));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
