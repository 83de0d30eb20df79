using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VersionKit.AspNetCore.Tests;

/// <summary>
/// The request surface per version, over real HTTP, through a minimal API group (<c>/api</c>) and an MVC controller
/// (<c>/mvc</c>): fields a version does not have, nested request objects, form bodies bound with no handler code, two names
/// of one field, the same parsing rules at every version, and errors in the caller's names.
/// </summary>
public sealed class RequestSurfaceTests : IAsyncLifetime
{
    private const string Oldest = "2020-01-01";
    private const string Latest = "2023-01-01";

    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.Services.AddControllers().AddApplicationPart(typeof(NotesController).Assembly);
        builder.Services.AddVersionKit(NoteHistory.Default).UseInMemoryPins();
        _app = builder.Build();
        _app.UseVersionKit();
        _app.MapControllers().WithVersionKit();
        var api = _app.MapGroup("/api").WithVersionKit();
        api.MapPost("/notes", (CreateNote note) => new Note { Body = note.Body ?? "(none)" });
        api.MapPost("/shipments", (CreateShipment shipment) => ShipmentEcho.Of(shipment));
        api.MapPost("/form-notes", ([Microsoft.AspNetCore.Mvc.FromForm] CreateNote note) => new Note { Body = note.Body ?? "(none)" }).DisableAntiforgery();
        api.MapPost("/untracked", (Untracked body) => new { body.Name });
        api.MapPost("/tags", (string[] tags) => new { count = tags.Length });
        api.MapGet("/notes", (int? limit, HttpContext context) => limit is < 1
            ? new VersionKitError(StatusCodes.Status400BadRequest, VersionKitErrorCodes.ParameterInvalid, $"{context.GetRequestFieldName("limit")} must be at least 1.")
            {
                Param = context.GetRequestFieldName("limit"),
            }.ToResult()
            : Results.Ok(new { limit })).WithApiRequest<ListNotes>();
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    private static HttpContent Form(string form) => new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");

    private static HttpContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return content;
    }

    private async Task<(HttpStatusCode Status, JsonObject? Body, string Text)> SendAsync(HttpMethod method, string path, string version, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Stripe-Version", version);
        using var response = await _client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonObject? body = null;
        try
        {
            body = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return (response.StatusCode, body, text);
    }

    private static void AssertError(HttpStatusCode status, JsonObject? body, string text, string code, string? param)
    {
        Assert.True(status == HttpStatusCode.BadRequest, $"Expected 400, got {(int)status}: {text}");
        Assert.NotNull(body);
        Assert.Equal(code, (string?)body["code"]);
        Assert.Equal(param, (string?)body["param"]);
        Assert.DoesNotContain("Parameter '", text, StringComparison.Ordinal);
        Assert.DoesNotContain("An item with the same key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/notes", Oldest, """{"body":"x"}""", "body")]
    [InlineData("/api/notes", Oldest, """{"text":"a","nonsense":1}""", "nonsense")]
    [InlineData("/api/notes", Latest, """{"text":"a"}""", "text")]
    [InlineData("/mvc/notes", Oldest, """{"body":"x"}""", "body")]
    [InlineData("/api/shipments", "2021-01-01", """{"to":{"postalCode":"75001"}}""", "to[postalCode]")]
    [InlineData("/api/shipments", Latest, """{"stops":[{"line1":"a"},{"zip":"75001"}]}""", "stops[1][zip]")]
    [InlineData("/mvc/shipments", "2021-01-01", """{"customerReference":"r"}""", "customerReference")]
    [InlineData("/api/shipments", "2021-01-01", """{"receiptEmail":"a@example.com"}""", "receiptEmail")]
    public async Task A_field_the_callers_version_does_not_have_is_refused_as_parameter_unknown(string path, string version, string json, string param)
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, path, version, Json(json));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterUnknown, param);
        Assert.StartsWith("Received unknown parameter: " + param, (string?)body!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_field_a_newer_version_added_is_refused_before_it_and_says_which_version_added_it()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/shipments", "2021-01-01", Form("receiptEmail=a%40example.com"));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterUnknown, "receiptEmail");
        Assert.Contains("API version 2022-01-01 added it", (string?)body!["detail"], StringComparison.Ordinal);

        (status, _, text) = await SendAsync(HttpMethod.Post, "/api/shipments", "2022-01-01", Form("receiptEmail=a%40example.com"));
        Assert.True(status == HttpStatusCode.OK, text);
    }

    [Fact]
    public async Task A_field_a_newer_version_removed_is_taken_and_dropped_before_it_and_refused_after()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/shipments", "2021-01-01", Json("""{"insured":true,"weightGrams":5}"""));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(5, (int)body!["weight"]!);

        (status, body, text) = await SendAsync(HttpMethod.Post, "/api/shipments", "2022-01-01", Json("""{"insured":true}"""));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterUnknown, "insured");
        Assert.Contains("API version 2022-01-01 removed it", (string?)body!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dictionary_takes_any_keys()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/shipments", Oldest, Json("""{"metadata":{"order":"6735","any thing":"x"}}"""));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("6735", (string?)body!["metadata"]!["order"]);
        Assert.Equal("x", (string?)body["metadata"]!["any thing"]);
    }

    [Theory]
    [InlineData("/api/shipments")]
    [InlineData("/mvc/shipments")]
    public async Task Nested_request_objects_are_upgraded_in_a_property_and_in_a_list(string path)
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, path, "2021-01-01", Json("""{"to":{"zip":"75001"},"stops":[{"zip":"1"},{"line1":"x","zip":"2"}],"reference":"r1"}"""));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("75001", (string?)body!["to"]);
        Assert.Equal(["1", "2"], body["stops"]!.AsArray().Select(s => (string?)s));
        Assert.Equal("r1", (string?)body["reference"]);
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/mvc")]
    public async Task A_form_body_binds_to_the_endpoints_request_type_with_no_handler_code(string prefix)
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, prefix + "/notes", Oldest, Form("text=hi+there"));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("hi there", (string?)body!["text"]);

        (status, body, text) = await SendAsync(HttpMethod.Post, prefix + "/shipments", "2021-01-01",
            Form("to[zip]=75001&stops[0][zip]=1&stops[1][zip]=2&weightGrams=1200&fragile=true&metadata[order]=6735&reference=r1"));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("75001", (string?)body!["to"]);
        Assert.Equal(["1", "2"], body["stops"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(1200, (int)body["weight"]!);
        Assert.True((bool)body["fragile"]!);
        Assert.Equal("6735", (string?)body["metadata"]!["order"]);
        Assert.Equal("r1", (string?)body["reference"]);
    }

    [Theory]
    [InlineData(Oldest, """{"text":"a","body":"b"}""", "text", "body")]
    [InlineData(Latest, """{"body":"a","text":"b"}""", "body", "text")]
    public async Task Old_and_new_names_together_are_parameter_invalid_naming_both_in_the_callers_names(string version, string json, string param, string other)
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/notes", version, Json(json));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterInvalid, param);
        Assert.Contains($"'{param}'", (string?)body!["detail"], StringComparison.Ordinal);
        Assert.Contains($"'{other}'", (string?)body["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Old_and_new_names_of_a_nested_field_together_name_the_nested_field()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/shipments", "2021-01-01", Form("to[zip]=1&to[postalCode]=2"));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterInvalid, "to[zip]");
        Assert.Contains("'to[postalCode]'", (string?)body!["detail"], StringComparison.Ordinal);
    }

    public static TheoryData<string, string, byte[], string, string?> BadBodies() => new()
    {
        { "POST", "application/json", [.. "{\"text\":\""u8, 0xC3, 0x28, .. "\"}"u8], VersionKitErrorCodes.RequestMalformed, null },
        { "POST", "application/json", [.. "{\"te"u8, 0xFF, .. "xt\":1}"u8], VersionKitErrorCodes.RequestMalformed, null },
        { "POST", "application/json", "{\"text\":\"a\",\"text\":\"b\"}"u8.ToArray(), VersionKitErrorCodes.ParameterInvalid, "text" },
        { "POST", "application/json", "{\"text\":\"a\",\"body\":\"b\",\"body\":\"c\"}"u8.ToArray(), VersionKitErrorCodes.ParameterInvalid, "body" },
        { "POST", "application/json", "[1]"u8.ToArray(), VersionKitErrorCodes.RequestMalformed, null },
        { "POST", "application/json", Encoding.UTF8.GetBytes("{\"text\":" + string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70)) + "}"), VersionKitErrorCodes.RequestMalformed, null },
        { "POST", "application/json", "{\"text\":\"a\"} {}"u8.ToArray(), VersionKitErrorCodes.RequestMalformed, null },
        { "POST", "application/json", "{\"text\":"u8.ToArray(), VersionKitErrorCodes.RequestMalformed, null },
        { "POST", "application/x-www-form-urlencoded", "text=%C3%28"u8.ToArray(), VersionKitErrorCodes.RequestMalformed, null },
        { "POST", "application/x-www-form-urlencoded", "text=a&text=b"u8.ToArray(), VersionKitErrorCodes.ParameterInvalid, "text" },
        { "GET", "?count=%FF", [], VersionKitErrorCodes.RequestMalformed, null },
        { "GET", "?count=1&count=2", [], VersionKitErrorCodes.ParameterInvalid, "count" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Each_bad_body_gets_the_same_answer_at_the_oldest_and_the_latest_version(string method, string contentTypeOrQuery, byte[] body, string code, string? param)
    {
        foreach (string version in new[] { Oldest, Latest })
        {
            var (status, json, text) = method == "GET"
                ? await SendAsync(HttpMethod.Get, "/api/notes" + contentTypeOrQuery, version)
                : await SendAsync(HttpMethod.Post, "/api/notes", version, Bytes(body, contentTypeOrQuery));
            AssertError(status, json, text, code, param);
        }
    }

    [Theory]
    [InlineData(Oldest, "?count=abc", "count")]
    [InlineData(Latest, "?limit=abc", "limit")]
    [InlineData(Oldest, "?count=1.5", "count")]
    public async Task A_type_error_names_the_field_as_the_callers_version_calls_it(string version, string query, string param)
    {
        var (status, body, text) = await SendAsync(HttpMethod.Get, "/api/notes" + query, version);
        AssertError(status, body, text, VersionKitErrorCodes.ParameterInvalid, param);
        Assert.Contains("integer", (string?)body!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_type_error_in_a_json_body_names_the_nested_field_as_the_callers_version_calls_it()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/shipments", "2021-01-01", Json("""{"reference":5,"to":{"zip":"1"}}"""));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterInvalid, "reference");

        (status, body, text) = await SendAsync(HttpMethod.Post, "/api/shipments", "2021-01-01", Json("""{"stops":[{"zip":"1"},{"zip":true}]}"""));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterInvalid, "stops[1][zip]");
    }

    [Fact]
    public async Task An_old_query_is_upgraded_and_typed()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Get, "/api/notes?count=5", Oldest);
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(5, (int)body!["limit"]!);
    }

    [Theory]
    [InlineData(Oldest, "?count=0", "count")]
    [InlineData(Latest, "?limit=0", "limit")]
    public async Task A_handlers_own_error_names_the_field_as_the_callers_version_calls_it(string version, string query, string param)
    {
        var (status, body, text) = await SendAsync(HttpMethod.Get, "/api/notes" + query, version);
        AssertError(status, body, text, VersionKitErrorCodes.ParameterInvalid, param);
        Assert.StartsWith(param + " must be", (string?)body!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_in_the_charset_it_declares_is_read_in_that_charset()
    {
        var content = Bytes("text=J%E9r%F4me"u8.ToArray(), "application/x-www-form-urlencoded");
        content.Headers.ContentType!.CharSet = "iso-8859-1";
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/notes", Oldest, content);
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("J\u00e9r\u00f4me", (string?)body!["text"]);

        content = Bytes("text=x"u8.ToArray(), "application/x-www-form-urlencoded");
        content.Headers.ContentType!.CharSet = "klingon";
        (status, body, text) = await SendAsync(HttpMethod.Post, "/api/notes", Oldest, content);
        AssertError(status, body, text, VersionKitErrorCodes.RequestMalformed, null);

        // A byte the declared charset has no character for is refused as strictly as invalid UTF-8, at every version.
        foreach (string version in new[] { Oldest, Latest })
        {
            content = Bytes("text=card_1%FF"u8.ToArray(), "application/x-www-form-urlencoded");
            content.Headers.ContentType!.CharSet = "us-ascii";
            (status, body, text) = await SendAsync(HttpMethod.Post, "/api/notes", version, content);
            AssertError(status, body, text, VersionKitErrorCodes.RequestMalformed, null);
            Assert.Equal("The value of the form field 'text' is not valid us-ascii.", (string?)body!["detail"]);
        }
    }

    [Fact]
    public async Task A_nested_key_sent_twice_is_refused_naming_its_path()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/shipments", Latest, Json("""{"stops":[{"line1":"a"},{"line1":"b","line1":"c"}]}"""));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterInvalid, "stops[1][line1]");
    }

    [Fact]
    public async Task A_form_value_where_an_object_belongs_is_parameter_invalid()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/shipments", Latest, Form("to=75001"));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterInvalid, "to");
        Assert.StartsWith("Invalid object: 75001", (string?)body!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_that_binds_a_form_itself_gets_the_upgraded_form()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/form-notes", Oldest, Form("text=hi"));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("hi", (string?)body!["text"]);
    }

    [Fact]
    public async Task A_request_type_the_history_does_not_know_is_read_by_the_same_parsing_rules_but_its_fields_are_not_checked()
    {
        var (status, body, text) = await SendAsync(HttpMethod.Post, "/api/untracked", Oldest, Json("""{"name":"a","other":1}"""));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal("a", (string?)body!["name"]);

        (status, body, text) = await SendAsync(HttpMethod.Post, "/api/untracked", Latest, Json("""{"name":"a","name":"b"}"""));
        AssertError(status, body, text, VersionKitErrorCodes.ParameterInvalid, "name");

        // Not a request object: any JSON value its binder takes.
        (status, body, text) = await SendAsync(HttpMethod.Post, "/api/tags", Oldest, Json("""["a","b"]"""));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(2, (int)body!["count"]!);
    }
}

/// <summary>A body type no request change names and nothing marks [ApiRequest].</summary>
public sealed record Untracked(string? Name);
