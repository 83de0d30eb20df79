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
    public void The_changelog_marks_changes_with_request_code_and_lists_request_fields()
    {
        var expand = History.Changes.Single(c => c.ChangeType == typeof(ExpandOwner));
        Assert.True(expand.HasCode);
        Assert.Equal(["CreateGadget"], expand.Requests);
        Assert.Empty(expand.RequestFieldChanges);
        var orders = History.Changes.Single(c => c.ChangeType == typeof(OrderRequests));
        Assert.Equal(["LineItem", "CreateOrder"], orders.Requests);
        Assert.Equal(
            [new FieldChange("LineItem", FieldChangeKind.Renamed, "sku", "product", "sku"), new FieldChange("CreateOrder", FieldChangeKind.Added, "rush", null, "rush")],
            orders.RequestFieldChanges);
    }

    [Fact]
    public void Request_types_are_those_changes_name_those_marked_ApiRequest_and_the_request_objects_they_reach()
    {
        Assert.Equal([typeof(CreateGadget), typeof(CreateOrder), typeof(CreateWidget), typeof(LineItem)], History.Requests.Select(r => r.RequestType).OrderBy(t => t.Name));
        Assert.True(History.TryGetRequest(typeof(LineItem), out var item));
        Assert.Equal(["product", "quantity"], item.GetFields(V("2021-01-01")));
        Assert.Equal(["sku", "quantity"], item.GetFields(V("2022-01-01")));
        Assert.Equal(["items", "gifts", "metadata", "total", "priority", "discount"], History.Requests.Single(r => r.RequestType == typeof(CreateOrder)).GetFields(V("2019-01-01")));
        Assert.False(History.TryGetRequest(typeof(Widget), out _));
    }

    private static JsonObject Read<T>(string json, string version, bool text = false)
    {
        var request = JsonNode.Parse(json)!.AsObject();
        History.ReadRequest(typeof(T), request, V(version), text);
        return request;
    }

    private static RequestShapeException Refused<T>(string json, string version, bool text = false)
        => Assert.Throws<RequestShapeException>(() => Read<T>(json, version, text));

    private static ApiVersion V(string text) => ApiVersion.Parse(text);

    [Theory]
    [InlineData("""{"label":"a"}""", "2019-01-01", "label", "At API version 2019-01-01 this parameter is 'title'.")]
    [InlineData("""{"title":"a"}""", "2025-01-01", "title", "At API version 2025-01-01 this parameter is 'label'.")]
    [InlineData("""{"legacy_code":"x"}""", "2023-01-01", "legacy_code", "API version 2023-01-01 removed it; this request is at API version 2023-01-01.")]
    [InlineData("""{"nonsense":1}""", "2025-01-01", "nonsense", null)]
    public void A_field_the_callers_version_does_not_have_is_refused_with_what_the_version_calls_it(string json, string version, string field, string? hint)
    {
        var error = Refused<CreateWidget>(json, version);
        Assert.True(error.UnknownField);
        Assert.Equal(field, error.Field);
        Assert.StartsWith("Received unknown parameter: " + field + ".", error.Message, StringComparison.Ordinal);
        if (hint is not null)
        {
            Assert.EndsWith(hint, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_field_added_later_is_refused_in_a_nested_list_and_says_which_version_added_it()
    {
        var error = Refused<CreateOrder>("""{"rush":true}""", "2021-01-01");
        Assert.Equal("rush", error.Field);
        Assert.Contains("API version 2022-01-01 added it", error.Message, StringComparison.Ordinal);

        error = Refused<CreateOrder>("""{"items":[{"product":"p"},{"sku":"s"}]}""", "2021-01-01");
        Assert.Equal("items[1][sku]", error.Field);
        Assert.True(error.UnknownField);
    }

    [Fact]
    public void Two_names_of_one_field_are_refused_in_the_callers_name_whatever_their_order()
    {
        foreach (string json in new[] { """{"title":"a","label":"b"}""", """{"label":"b","title":"a"}""" })
        {
            var error = Refused<CreateWidget>(json, "2019-01-01");
            Assert.False(error.UnknownField);
            Assert.Equal("title", error.Field);
            Assert.Contains("'title' and 'label'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Nested_request_objects_are_upgraded_in_lists_and_in_dictionary_values()
    {
        var order = Read<CreateOrder>("""{"items":[{"product":"p1","quantity":2},{"product":"p2"}],"gifts":{"ann":{"product":"p3"}}}""", "2021-01-01");
        Assert.Equal("""{"items":[{"sku":"p1","quantity":2},{"sku":"p2"}],"gifts":{"ann":{"sku":"p3"}}}""", order.ToJsonString());
        Assert.True(History.NeedsUpgrade(typeof(CreateOrder), V("2021-01-01")));
        Assert.False(History.NeedsUpgrade(typeof(CreateOrder), V("2022-01-01")));
    }

    [Fact]
    public void A_dictionary_takes_any_keys_and_a_removed_field_is_taken_and_dropped_at_the_versions_that_had_it()
    {
        Assert.Equal("""{"metadata":{"anything at all":"x","title":"y"}}""", Read<CreateOrder>("""{"metadata":{"anything at all":"x","title":"y"}}""", "2019-01-01").ToJsonString());
        Assert.Equal("""{"label":"a"}""", Read<CreateWidget>("""{"title":"a","legacy_code":"x"}""", "2019-01-01").ToJsonString());
    }

    [Fact]
    public void Text_values_become_the_numbers_and_booleans_the_type_has()
    {
        var order = Read<CreateOrder>("""{"total":"1200","priority":"7","discount":"0.25","rush":"true","metadata":{"n":"5"},"items":[{"sku":"s","quantity":"3"}]}""", "2025-01-01", text: true);
        Assert.Equal("""{"total":1200,"priority":7,"discount":0.25,"rush":true,"metadata":{"n":"5"},"items":[{"sku":"s","quantity":3}]}""", order.ToJsonString());
        Assert.Equal("""{"total":null}""", Read<CreateOrder>("""{"total":""}""", "2025-01-01", text: true).ToJsonString());
    }

    [Theory]
    [InlineData("""{"total":"12"}""", false, "total", "integer")]
    [InlineData("""{"total":1.5}""", false, "total", "integer")]
    [InlineData("""{"priority":300}""", false, "priority", "integer")]
    [InlineData("""{"priority":"300"}""", true, "priority", "integer")]
    [InlineData("""{"rush":"yes"}""", true, "rush", "boolean")]
    [InlineData("""{"rush":1}""", false, "rush", "boolean")]
    [InlineData("""{"discount":"cheap"}""", true, "discount", "number")]
    [InlineData("""{"items":{"sku":"s"}}""", false, "items", "array")]
    [InlineData("""{"items":["s"]}""", false, "items[0]", "object")]
    [InlineData("""{"gifts":{"ann":{"sku":5}}}""", false, "gifts[ann][sku]", "string")]
    public void A_value_of_the_wrong_type_is_refused_naming_the_field(string json, bool text, string field, string expected)
    {
        var error = Refused<CreateOrder>(json, "2025-01-01", text);
        Assert.False(error.UnknownField);
        Assert.Equal(field, error.Field);
        Assert.StartsWith("Invalid " + expected + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_error_names_the_field_as_the_callers_version_calls_it()
    {
        var error = Refused<CreateOrder>("""{"items":[{"product":5}]}""", "2021-01-01");
        Assert.Equal("items[0][product]", error.Field);
        Assert.Contains("(parameter 'items[0][product]')", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(CreateWidget), "label", "2019-01-01", "title")]
    [InlineData(typeof(CreateWidget), "label", "2024-06-01", "name")]
    [InlineData(typeof(CreateWidget), "label", "2025-01-01", "label")]
    [InlineData(typeof(CreateOrder), "items[3][sku]", "2021-01-01", "items[3][product]")]
    [InlineData(typeof(CreateOrder), "gifts[sku][sku]", "2021-01-01", "gifts[sku][product]")]
    [InlineData(typeof(CreateOrder), "rush", "2021-01-01", "rush")]
    [InlineData(typeof(Widget), "label", "2019-01-01", "label")]
    public void A_current_field_is_named_as_a_version_calls_it(Type type, string field, string version, string expected)
        => Assert.Equal(expected, History.GetRequestFieldName(type, field, V(version)));

    [Fact]
    public void Code_that_fails_is_a_request_error_without_its_exception_text()
    {
        var request = new JsonObject { ["owner"] = new JsonArray(1) };
        var error = Assert.Throws<RequestShapeException>(() => History.ReadRequest(typeof(CreateGadget), request, V("2023-01-01")));
        Assert.Equal("owner", error.Field);

        var broken = new JsonObject { ["owner"] = "boom" };
        error = Assert.Throws<RequestShapeException>(() => History.UpgradeRequest(typeof(CreateGadget), broken, V("2023-01-01")));
        Assert.Null(error.Field);
        Assert.Equal("The request does not have the shape API version 2023-01-01 expects: ExpandOwner could not upgrade it.", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }
}
