using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VersionKit.Pins;
using VersionKit.Sqlite;

namespace VersionKit.AspNetCore.Tests;

/// <summary>
/// A version's life on Kestrel with its pins in SQLite: statuses and their headers, a retired version refused through the
/// app's error, the nearest-earlier fallback, and calls counted per account and version in one write per interval, off
/// the requests' path.
/// </summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("versionkit-lifecycle-").FullName;
    private readonly FakeTimeProvider _clock = new(Start);
    private CountingStore _store = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _store = new CountingStore(new SqlitePinStore("Data Source=" + Path.Combine(_folder, "pins.db")));
        _app = Build(Configure, docs: true);
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static void Configure(VersionKitOptions o)
    {
        o.HeaderName = "Api-Version";
        o.MinimumSupportedVersion = NoteHistory.Version.V2021_01_01;
        o.UnknownDate = UnknownVersionDate.NearestEarlier;
        o.Deprecate("2021-01-01", Start.AddDays(-30)).Sunset("2021-01-01", Start.AddDays(60));
    }

    // The docs pages read the options when they are mapped: without them, bad options stop the app when it starts.
    private WebApplication Build(Action<VersionKitOptions> configure, bool docs = false)
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddSingleton<TimeProvider>(_clock);
        var versionKit = builder.Services.AddVersionKit(NoteHistory.Default, configure)
            .UseCallerResolver<AccountHeaderResolver>()
            .UseErrors((error, _) => new NoteError { Code = error.Code, Message = error.Message, Param = error.Param })
            .AddDocs();
        ((VersionKit.IVersionKitBuilder)versionKit).UsePinStore(_ => _store);
        var app = builder.Build();
        app.UseVersionKit();
        app.MapGroup("/api").WithVersionKit().MapGet("/notes/{id}", (string id) => new Note { Id = id });
        if (docs)
        {
            app.MapVersionKitDocs();
        }

        return app;
    }

    private async Task<HttpResponseMessage> GetAsync(string? version, string? account = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notes/note_1");
        if (version is not null)
        {
            request.Headers.Add("Api-Version", version);
        }

        if (account is not null)
        {
            request.Headers.Add("X-Account", account);
        }

        return await _client.SendAsync(request);
    }

    private static async Task<JsonObject> BodyAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    [Fact]
    public async Task A_call_at_a_retired_version_gets_the_apps_error_naming_the_minimum_and_the_upgrade_guide()
    {
        var response = await GetAsync("2020-01-01");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("2020-01-01", response.Headers.GetValues("Api-Version").Single());
        var error = await BodyAsync(response);
        Assert.Equal("error", (string?)error["object"]);
        Assert.Equal(VersionKitErrorCodes.ApiVersionRetired, (string?)error["code"]);
        Assert.Equal(
            "API version 2020-01-01 is retired: the oldest version this API serves is 2021-01-01. Send Api-Version: 2023-01-01 (or any version from 2021-01-01 on). What changed since 2020-01-01: /docs/upgrade?from=2020-01-01.",
            (string?)error["message"]);
        Assert.False(error.ContainsKey("param"), "the error is rendered at 2020-01-01, where 'param' was 'field'");
    }

    [Fact]
    public async Task An_account_pinned_to_a_retired_version_is_told_to_upgrade_and_is_served_when_it_names_a_supported_one()
    {
        var pins = _app.Services.GetRequiredService<ApiVersionPins>();
        await pins.AssignAsync("acct_old", NoteHistory.Version.V2020_01_01, PinActor.Operator("test"));

        var refused = await GetAsync(version: null, account: "acct_old");
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Contains("Upgrade the account's API version to 2023-01-01 (or any version from 2021-01-01 on), or send Api-Version with one.", (string?)(await BodyAsync(refused))["message"], StringComparison.Ordinal);

        var served = await GetAsync("2022-01-01", account: "acct_old");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(NoteHistory.Version.V2020_01_01, (await pins.FindAsync("acct_old"))!.Version);
    }

    // The refusal is routing's, for versioned endpoints: the docs pages read the caller's version and show the way up.
    [Fact]
    public async Task A_caller_at_a_retired_version_reads_its_upgrade_guide_and_is_not_counted_for_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/docs/upgrade");
        request.Headers.Add("Api-Version", "2020-01-01");
        request.Headers.Add("X-Account", "acct_reader");

        var response = await _client.SendAsync(request);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(">Upgrading from 2020-01-01 to 2023-01-01</h1>", html, StringComparison.Ordinal);
        Assert.Contains("changes since your version, 2020-01-01", html, StringComparison.Ordinal);
        await _app.Services.GetRequiredService<VersionUsageRecorder>().FlushAsync(CancellationToken.None);
        Assert.Empty(await ((IApiVersionUsageStore)_store).GetUsageAsync(NoteHistory.Version.V2020_01_01));
    }

    [Fact]
    public async Task Deprecation_and_sunset_headers_come_from_the_statuses()
    {
        var options = _app.Services.GetRequiredService<IOptions<VersionKitOptions>>().Value;
        Assert.Equal(
            [ApiVersionStatus.Retired, ApiVersionStatus.Sunset, ApiVersionStatus.Supported, ApiVersionStatus.Supported],
            NoteHistory.Default.Versions.Select(options.StatusOf));

        var sunset = await GetAsync("2021-01-01");
        Assert.Equal(HttpStatusCode.OK, sunset.StatusCode);
        Assert.Equal("@" + Start.AddDays(-30).ToUnixTimeSeconds(), sunset.Headers.GetValues("Deprecation").Single());
        Assert.Equal(Start.AddDays(60).ToString("r"), sunset.Headers.GetValues("Sunset").Single());

        var latest = await GetAsync("2023-01-01");
        Assert.False(latest.Headers.Contains("Deprecation"));
        Assert.False(latest.Headers.Contains("Sunset"));
    }

    [Theory]
    [InlineData("2021-06-15", "2021-01-01")]
    [InlineData("2022-01-01", "2022-01-01")]
    [InlineData("2099-01-01", "2023-01-01")]
    public async Task A_date_between_releases_is_served_at_the_release_before_it_and_the_response_says_which(string sent, string served)
    {
        var response = await GetAsync(sent);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(served, response.Headers.GetValues("Api-Version").Single());
    }

    [Theory]
    [InlineData("2019-06-01", "'2019-06-01' is not a version of this API.")]
    [InlineData("2021-06-15.acacia", "'2021-06-15.acacia' is not a version of this API.")]
    public async Task The_fallback_still_refuses_a_date_before_the_first_version_and_a_release_name_that_is_not_there(string sent, string expected)
    {
        var response = await GetAsync(sent);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (string?)(await BodyAsync(response))["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(VersionKitOptions.MinimumSupportedVersion), "VersionKitOptions.MinimumSupportedVersion names 2020-06-01, which is not a version of NoteHistory. Valid versions: 2020-01-01, 2021-01-01, 2022-01-01, 2023-01-01.")]
    [InlineData(nameof(VersionKitOptions.Deprecations), "VersionKitOptions.Deprecations names 2020-06-01, which is not a version of NoteHistory.")]
    public async Task Options_that_name_a_version_the_history_does_not_have_stop_the_app(string option, string expected)
    {
        await using var app = Build(o =>
        {
            if (option == nameof(VersionKitOptions.MinimumSupportedVersion))
            {
                o.MinimumSupportedVersion = ApiVersion.Parse("2020-06-01");
            }
            else
            {
                o.Deprecate("2020-06-01", Start);
            }
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_are_counted_per_account_and_version_and_written_in_one_batch_per_interval()
    {
        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => GetAsync("2022-01-01", "acct_a")));
        for (int i = 0; i < 5; i++)
        {
            await GetAsync("2020-01-01", "acct_a");
        }

        await GetAsync(null, "acct_b");
        await GetAsync("2023-01-01");
        Assert.Equal(0, _store.Writes);

        await NextIntervalAsync(writes: 1);

        var batch = Assert.Single(_store.Batches);
        Assert.Equal(
            [new ApiVersionUsage("acct_a", NoteHistory.Version.V2020_01_01, Start, 5), new ApiVersionUsage("acct_a", NoteHistory.Version.V2022_01_01, Start, 30), new ApiVersionUsage("acct_b", NoteHistory.Version.V2023_01_01, Start, 1)],
            batch.OrderBy(u => u.AccountId, StringComparer.Ordinal).ThenBy(u => u.Version));
        Assert.Equal([new ApiVersionUsage("acct_a", NoteHistory.Version.V2020_01_01, Start, 5)], await _store.GetUsageAsync(NoteHistory.Version.V2020_01_01));

        var later = _clock.GetUtcNow();
        await GetAsync("2022-01-01", "acct_a");
        await NextIntervalAsync(writes: 2);
        Assert.True(later > Start);
        Assert.Equal([new ApiVersionUsage("acct_a", NoteHistory.Version.V2022_01_01, later, 1)], _store.Batches[1]);
        Assert.Equal(new ApiVersionUsage("acct_a", NoteHistory.Version.V2022_01_01, later, 31), Assert.Single(await _store.GetUsageAsync(NoteHistory.Version.V2022_01_01)));
    }

    [Fact]
    public async Task A_store_that_hangs_on_usage_slows_no_call_and_gets_the_counts_when_it_answers()
    {
        await GetAsync("2022-01-01", "acct_slow");
        _store.Hold();
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _store.CalledAsync();

        var timer = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => GetAsync("2022-01-01", "acct_slow")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(10), $"20 calls took {timer.Elapsed} while the usage write hung");
        Assert.Equal(0, _store.Writes);

        _store.Release();
        await _store.WrittenAsync(1);
        await NextIntervalAsync(writes: 2);
        Assert.Equal(21, Assert.Single(await _store.GetUsageAsync(NoteHistory.Version.V2022_01_01)).Requests);
    }

    // Moves the clock an interval on until the flusher, which waits for the next interval once it has written, writes again.
    private async Task NextIntervalAsync(int writes)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); _store.Writes < writes; await Task.Delay(20))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"waited for usage write {writes}");
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    private sealed class AccountHeaderResolver : IApiCallerResolver
    {
        public ValueTask<ApiCaller> ResolveAsync(HttpContext context) => new(new ApiCaller(context.Request.Headers["X-Account"].FirstOrDefault(), null));
    }

    /// <summary>The SQLite store, with each usage write counted and, on demand, held until released.</summary>
    private sealed class CountingStore(SqlitePinStore inner) : IApiVersionPinStore, IApiVersionUsageStore
    {
        private readonly List<IReadOnlyCollection<ApiVersionUsage>> _batches = [];
        private readonly SemaphoreSlim _written = new(0);
        private TaskCompletionSource _gate = CompletedGate();
        private TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Writes
        {
            get
            {
                lock (_batches)
                {
                    return _batches.Count;
                }
            }
        }

        public IReadOnlyList<IReadOnlyCollection<ApiVersionUsage>> Batches
        {
            get
            {
                lock (_batches)
                {
                    return [.. _batches];
                }
            }
        }

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.SetResult();

        public Task CalledAsync() => _called.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public async Task WrittenAsync(int writes)
        {
            while (Writes < writes)
            {
                Assert.True(await _written.WaitAsync(TimeSpan.FromSeconds(10)), $"waited for usage write {writes}");
            }
        }

        public async Task RecordUsageAsync(IReadOnlyCollection<ApiVersionUsage> usage, CancellationToken cancellationToken = default)
        {
            _called.TrySetResult();
            await _gate.Task;
            await inner.RecordUsageAsync(usage, cancellationToken);
            lock (_batches)
            {
                _batches.Add(usage);
            }

            _written.Release();
        }

        public Task<IReadOnlyList<ApiVersionUsage>> GetUsageAsync(ApiVersion version, CancellationToken cancellationToken = default) => inner.GetUsageAsync(version, cancellationToken);

        public Task<IReadOnlyList<ApiVersionUsageSummary>> GetUsageSummaryAsync(CancellationToken cancellationToken = default) => inner.GetUsageSummaryAsync(cancellationToken);

        public Task<ApiVersionPin?> FindAsync(string accountId, CancellationToken cancellationToken = default) => inner.FindAsync(accountId, cancellationToken);

        public Task<(ApiVersionPin Pin, bool Pinned)> PinIfAbsentAsync(PinChange change, CancellationToken cancellationToken = default) => inner.PinIfAbsentAsync(change, cancellationToken);

        public Task<ApiVersionPin> ChangeAsync(PinChange change, ApiVersion? previousVersion, CancellationToken cancellationToken = default) => inner.ChangeAsync(change, previousVersion, cancellationToken);

        public Task<IReadOnlyList<PinChange>> GetChangesAsync(string accountId, CancellationToken cancellationToken = default) => inner.GetChangesAsync(accountId, cancellationToken);

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }
}
