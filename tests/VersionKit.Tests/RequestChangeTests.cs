using System.Text.Json.Nodes;

namespace VersionKit.Tests;

public class RequestChangeTests
{
    private static readonly ApiHistory History = WidgetHistory.Default;

    private static JsonObject Upgrade<T>(string json, string version)
    {
        var request = JsonNode.Parse(json)!.AsObject();
        History.UpgradeRequest(typeof(T), request, ApiVersion.Parse(version));
        return request;
    }

    [Fact]
    public void An_old_request_is_upgraded_through_every_newer_change_oldest_first()
    {
        var request = Upgrade<CreateWidget>("""{"title":"Sprocket","color":"red","legacy_code":"x"}""", "2019-01-01");
        Assert.Equal("""{"label":"Sprocket","color":"red"}""", request.ToJsonString());
    }

    [Fact]
    public void Only_changes_newer_than_the_callers_version_apply()
    {
        Assert.Equal("""{"label":"a"}""", Upgrade<CreateWidget>("""{"name":"a"}""", "2024-06-01").ToJsonString());
        Assert.Equal("""{"label":"a"}""", Upgrade<CreateWidget>("""{"label":"a"}""", "2025-01-01").ToJsonString());
        Assert.True(History.NeedsUpgrade(typeof(CreateWidget), ApiVersion.Parse("2024-06-01")));
        Assert.False(History.NeedsUpgrade(typeof(CreateWidget), ApiVersion.Parse("2025-01-01")));
        Assert.False(History.NeedsUpgrade(typeof(Widget), ApiVersion.Parse("2019-01-01")));
    }

    [Fact]
    public void A_code_request_change_upgrades_the_old_type()
    {
        Assert.Equal("""{"owner":{"id":"own_1"}}""", Upgrade<CreateGadget>("""{"owner":"own_1"}""", "2023-01-01").ToJsonString());
    }

    [Fact]
    public void A_request_of_the_wrong_shape_names_the_field()
    {
        var error = Assert.Throws<RequestShapeException>(() => Upgrade<CreateGadget>("""{"owner":{"id":"own_1"}}""", "2023-01-01"));
        Assert.Equal("owner", error.Field);
        Assert.Contains("must be the owner's id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_changelog_marks_changes_with_request_code()
    {
        Assert.True(History.Changes.Single(c => c.ChangeType == typeof(ExpandOwner)).HasCode);
        Assert.Equal([typeof(CreateGadget), typeof(CreateWidget)], History.Requests.Select(r => r.RequestType).OrderBy(t => t.Name));
    }
}
