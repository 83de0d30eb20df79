using System.Text.Json.Nodes;
using VersionKit.Sqlite;

namespace VersionKit.Webhooks.Tests;

// Each test compiles its own history, so that the converter's count (static in the loaded assembly) is its own.
public sealed class EventRenderingTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static WebhookEndpoint Endpoint(string account, int i, ApiVersion version)
        => new("we_" + i, account, new Uri("http://127.0.0.1:9/hooks/" + i), ["*"], version, WebhookSignature.NewSecret(), DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_event_for_1000_endpoints_over_3_versions_is_rendered_3_times_and_each_endpoint_gets_its_versions_rendering()
    {
        using var shop = ShopSource.Load();
        var store = new SqliteWebhookStore(_database.ConnectionString);
        var events = new ApiEvents(shop.Writers, store);
        ApiVersion[] versions = [ShopSource.V2020, ShopSource.V2021, ShopSource.V2022];
        for (int i = 0; i < 1000; i++)
        {
            await store.AddEndpointAsync(Endpoint("acct_1", i, versions[i % 3]));
        }

        int before = ShopSource.Writes(shop);
        var recorded = await events.PublishAsync("acct_1", "evt_1", "order.paid", ShopSource.V2022, c => ShopSource.Event(shop, 4200, c.ApiVersion));
        Assert.Equal(3, ShopSource.Writes(shop) - before);

        // What rendering it 1,000 times costs in renders, for comparison: the counter counts every one.
        before = ShopSource.Writes(shop);
        for (int i = 0; i < 1000; i++)
        {
            shop.Writers.RenderToUtf8Bytes(ShopSource.Event(shop, 4200, versions[i % 3]), versions[i % 3]);
        }

        Assert.Equal(1000, ShopSource.Writes(shop) - before);

        var deliveries = await store.GetDeliveriesAsync("evt_1");
        Assert.Equal(1000, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(versions[int.Parse(d.EndpointId[3..], System.Globalization.CultureInfo.InvariantCulture) % 3], d.ApiVersion));
        foreach (var version in versions)
        {
            var expected = shop.Writers.Render(ShopSource.Event(shop, 4200, version), version);
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString((await store.FindRenderingAsync("evt_1", version))!.Value.Span));
        }

        // The shapes differ as the history says: state before 2021, no note before 2022.
        Assert.Equal("paid", (string?)JsonNode.Parse((await store.FindRenderingAsync("evt_1", ShopSource.V2020))!.Value.Span)!["data"]!["state"]);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(recorded.Body.Span), System.Text.Encoding.UTF8.GetString(recorded.Payload.Span));
        Assert.Equal(recorded.Body.ToArray(), (await events.Store.FindEventAsync("acct_1", "evt_1"))!.Body.ToArray());
    }

    [Fact]
    public void Rendering_for_endpoints_renders_once_per_distinct_version_the_events_own_first()
    {
        using var shop = ShopSource.Load();
        var events = new ApiEvents(shop.Writers, new SqliteWebhookStore(_database.ConnectionString));
        int before = ShopSource.Writes(shop);
        var renderings = events.Render(v => ShopSource.Event(shop, 10, v), ShopSource.V2021, [ShopSource.V2020, ShopSource.V2021, ShopSource.V2020, ShopSource.V2022, ShopSource.V2020]);
        Assert.Equal([ShopSource.V2021, ShopSource.V2020, ShopSource.V2022], renderings.Select(r => r.ApiVersion));
        Assert.Equal(3, ShopSource.Writes(shop) - before);
        Assert.Single(events.Render(v => ShopSource.Event(shop, 10, v), ShopSource.V2021, []));
    }

    [Fact]
    public async Task An_events_bytes_at_a_version_stay_what_they_were_after_a_deploy_changes_the_history()
    {
        using var before = ShopSource.Load();
        var store = new SqliteWebhookStore(_database.ConnectionString);
        await store.AddEndpointAsync(Endpoint("acct_1", 1, ShopSource.V2020));
        var made = await new ApiEvents(before.Writers, store).PublishAsync("acct_1", "evt_1", "order.paid", ShopSource.V2021, c => ShopSource.Event(before, 4200, c.ApiVersion));
        byte[] at2020 = (await store.FindRenderingAsync("evt_1", ShopSource.V2020))!.Value.ToArray();

        // A deploy later: a newer version renames amount, and the code's Order has AmountCents. Rendering the stored payload
        // anew with the new code would change the old event (its amount is not where the new code looks for it) ...
        using var after = ShopSource.Later();
        var apiEvent = (await store.FindEventAsync("acct_1", "evt_1"))!;
        string rerendered = after.Writers.Render(ShopSource.Read(after, apiEvent, ShopSource.V2021), ShopSource.V2021);
        Assert.NotEqual(System.Text.Encoding.UTF8.GetString(made.Body.Span), rerendered);

        // ... but the event is what it was, at its own version and at the endpoint's, byte for byte.
        var events = new ApiEvents(after.Writers, store);
        Assert.Equal(made.Body.ToArray(), apiEvent.Body.ToArray());
        Assert.Equal(made.Body.ToArray(), (await events.RenderAsync(apiEvent, ShopSource.V2021, (e, v) => ShopSource.Read(after, e, v))).ToArray());
        Assert.Equal(at2020, (await events.RenderAsync(apiEvent, ShopSource.V2020, (e, v) => ShopSource.Read(after, e, v))).ToArray());
        Assert.Equal(4200L, (long?)JsonNode.Parse(at2020)!["data"]!["amount"]);
    }

    [Fact]
    public async Task A_reader_at_another_version_gets_one_rendering_made_once_and_kept()
    {
        using var shop = ShopSource.Load();
        var store = new SqliteWebhookStore(_database.ConnectionString);
        var events = new ApiEvents(shop.Writers, store);
        var apiEvent = await events.PublishAsync("acct_1", "evt_1", "order.paid", ShopSource.V2022, c => ShopSource.Event(shop, 7, c.ApiVersion));

        int before = ShopSource.Writes(shop);
        var first = await events.RenderAsync(apiEvent, ShopSource.V2020, (e, v) => ShopSource.Read(shop, e, v));
        var second = await events.RenderAsync(apiEvent, ShopSource.V2020, (e, v) => ShopSource.Read(shop, e, v));
        Assert.Equal(1, ShopSource.Writes(shop) - before);
        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.Equal("2020-01-01", (string?)JsonNode.Parse(first.Span)!["api_version"]);
        Assert.Equal("paid", (string?)JsonNode.Parse(first.Span)!["data"]!["state"]);

        // A rendering offered later for the same version is not kept: the first one is.
        var offered = await store.AddRenderingAsync("evt_1", new EventRendering(ShopSource.V2020, "{}"u8.ToArray()));
        Assert.Equal(first.ToArray(), offered.ToArray());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => events.RenderAsync(apiEvent, ApiVersion.Parse("2019-01-01"), (e, v) => ShopSource.Read(shop, e, v)));
    }

    [Fact]
    public async Task An_event_recorded_twice_under_one_id_is_recorded_once()
    {
        using var shop = ShopSource.Load();
        var store = new SqliteWebhookStore(_database.ConnectionString);
        await store.AddEndpointAsync(Endpoint("acct_1", 1, ShopSource.V2020));
        var events = new ApiEvents(shop.Writers, store);
        var first = await events.PublishAsync("acct_1", "evt_1", "order.paid", ShopSource.V2022, c => ShopSource.Event(shop, 1, c.ApiVersion));
        var again = await events.PublishAsync("acct_1", "evt_1", "order.paid", ShopSource.V2021, c => ShopSource.Event(shop, 2, c.ApiVersion));
        Assert.Equal(first.Body.ToArray(), again.Body.ToArray());
        Assert.Equal(ShopSource.V2022, again.ApiVersion);
        Assert.Single(await store.GetDeliveriesAsync("evt_1"));
        Assert.Single(await store.ListEventsAsync("acct_1", 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => events.PublishAsync("acct_1", "evt_2", "order.paid", ApiVersion.Parse("2019-01-01"), c => ShopSource.Event(shop, 1, c.ApiVersion)));
    }
}
