using System.Buffers;
using System.Text.Json;
using VersionKit;
using VersionKit.AspNetCore;
using VersionKit.Pins;
using VersionKit.Webhooks;
using StoredEndpoint = VersionKit.Webhooks.WebhookEndpoint;

namespace Payments.Api;

public sealed record CreateWebhookEndpoint(string? Url, string[]? EnabledEvents, string? ApiVersion);

/// <summary>What <c>POST /v1/webhook_endpoints/{id}</c> takes: <c>disabled</c>, to turn an endpoint off, or on again after a spent retry schedule turned it off.</summary>
public sealed record UpdateWebhookEndpoint(bool? Disabled);

/// <summary>One delivery of an event, as <c>GET /v1/test_helpers/events/{id}/deliveries</c> lists them.</summary>
public sealed class WebhookDeliveryInfo
{
    public string Object => "webhook_delivery";

    public required string Endpoint { get; init; }

    public required string ApiVersion { get; init; }

    /// <summary><c>pending</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }

    public required int Attempts { get; init; }

    public int? LastStatusCode { get; init; }

    public string? LastError { get; init; }

    public long? DeliveredAt { get; init; }
}

public sealed class DeletedWebhookEndpoint
{
    public required string Id { get; init; }

    public string Object => "webhook_endpoint";

    public bool Deleted => true;
}

/// <summary>
/// The sample's events and webhooks: each event recorded at the account's version when it happens and read at it ever
/// after (unless the reader names a version in the header, or a platform reads at its own), webhook endpoints with their
/// own version, and their deliveries. Events, endpoints and deliveries live in VersionKit's webhook store, the pins'
/// database.
/// </summary>
public static class PaymentsEvents
{
    /// <summary>The event types the sample makes, and <c>*</c> for all of them.</summary>
    public static readonly IReadOnlyList<string> EventTypes = ["*", "charge.succeeded"];

    /// <summary>Endpoints one account may have, as Stripe allows.</summary>
    public const int MaxEndpoints = 16;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>An event's id, from the id of the charge it is about: a retried request records it once.</summary>
    public static string EventIdOf(Charge charge) => "evt_" + charge.Id["ch_".Length..];

    /// <summary>
    /// Records that <paramref name="charge"/> succeeded, at the account's version now (whatever version the request was
    /// made at), and queues it for the account's endpoints.
    /// </summary>
    public static Task<ApiEvent> ChargeSucceededAsync(ApiEvents events, string account, ApiVersion accountVersion, Charge charge, EventRequest request)
        => events.PublishAsync(account, EventIdOf(charge), "charge.succeeded", accountVersion, context => new Event
        {
            Id = EventIdOf(charge),
            ApiVersion = context.ApiVersion.ToString(),
            Type = "charge.succeeded",
            Created = charge.Created,
            Data = new EventData { Object = charge },
            Request = request,
            PendingWebhooks = context.PendingWebhooks,
        });

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/events", async (HttpContext context, ApiEvents events, int? limit) =>
        {
            if (limit is < 1 or > 100)
            {
                return ApiErrors.Invalid("limit must be between 1 and 100.", "limit");
            }

            var list = await events.Store.ListEventsAsync(AccountOf(context), (limit ?? 10) + 1);
            bool hasMore = list.Count > (limit ?? 10);
            var bodies = new List<ReadOnlyMemory<byte>>();
            foreach (var apiEvent in hasMore ? list.Take(list.Count - 1) : list)
            {
                bodies.Add(await BodyAsync(context, events, apiEvent));
            }

            return Results.Bytes(ListJson(bodies, hasMore, "/v1/events"), "application/json; charset=utf-8");
        }).WithApiRequest<ListEvents>();

        api.MapGet("/events/{id}", async (string id, HttpContext context, ApiEvents events)
            => await events.Store.FindEventAsync(AccountOf(context), id) is { } apiEvent
                ? Results.Bytes(await BodyAsync(context, events, apiEvent), "application/json; charset=utf-8")
                : ApiErrors.NotFound("event", id));

        api.MapGet("/test_helpers/events/{id}/deliveries", async (string id, HttpContext context, ApiEvents events) =>
        {
            if (await events.Store.FindEventAsync(AccountOf(context), id) is null)
            {
                return ApiErrors.NotFound("event", id);
            }

            var deliveries = (await events.Store.GetDeliveriesAsync(id)).Select(d => new WebhookDeliveryInfo
            {
                Endpoint = d.EndpointId,
                ApiVersion = d.ApiVersion.ToString(),
                Status = d.Status.ToString().ToLowerInvariant(),
                Attempts = d.Attempts,
                LastStatusCode = d.LastStatusCode,
                LastError = d.LastError,
                DeliveredAt = d.DeliveredAt?.ToUnixTimeSeconds(),
            }).ToList();
            return TypedResults.Ok(new ApiList<WebhookDeliveryInfo>(deliveries, $"/v1/test_helpers/events/{id}/deliveries"));
        });

        api.MapPost("/webhook_endpoints", CreateEndpointAsync).WithApiRequest<CreateWebhookEndpoint>();

        api.MapGet("/webhook_endpoints", async (HttpContext context, ApiEvents events)
            => TypedResults.Ok(new ApiList<WebhookEndpoint>([.. (await events.Store.ListEndpointsAsync(AccountOf(context))).Select(e => Resource(e, secret: false))], "/v1/webhook_endpoints")));

        api.MapGet("/webhook_endpoints/{id}", async (string id, HttpContext context, ApiEvents events)
            => await events.Store.FindEndpointAsync(AccountOf(context), id) is { } endpoint
                ? TypedResults.Ok(Resource(endpoint, secret: false))
                : ApiErrors.NotFound("webhook_endpoint", id));

        api.MapPost("/webhook_endpoints/{id}", UpdateEndpointAsync).WithApiRequest<UpdateWebhookEndpoint>();

        api.MapDelete("/webhook_endpoints/{id}", async (string id, HttpContext context, ApiEvents events)
            => await events.Store.DeleteEndpointAsync(AccountOf(context), id)
                ? TypedResults.Ok(new DeletedWebhookEndpoint { Id = id })
                : ApiErrors.NotFound("webhook_endpoint", id));
    }

    private static string AccountOf(HttpContext context) => context.GetApiVersionFeature().Caller.AccountId!;

    // Stripe's update of an endpoint, for the one field an endpoint's owner needs after its receiver was down for longer
    // than the retry schedule: events made while it was disabled are not queued for it, so they are not sent afterwards.
    private static async Task<IResult> UpdateEndpointAsync(string id, HttpContext context, ApiEvents events)
    {
        var (body, problem) = await RequestBody.ReadAsync<UpdateWebhookEndpoint>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        string account = AccountOf(context);
        if (body!.Disabled is { } disabled
            && !await events.Store.SetEndpointStatusAsync(account, id, disabled ? WebhookEndpointStatus.Disabled : WebhookEndpointStatus.Enabled))
        {
            return ApiErrors.NotFound("webhook_endpoint", id);
        }

        return await events.Store.FindEndpointAsync(account, id) is { } endpoint
            ? TypedResults.Ok(Resource(endpoint, secret: false))
            : ApiErrors.NotFound("webhook_endpoint", id);
    }

    private static async Task<IResult> CreateEndpointAsync(HttpContext context, ApiEvents events, ApiVersionPins pins, ApiHistory history, TimeProvider clock)
    {
        var (body, problem) = await RequestBody.ReadAsync<CreateWebhookEndpoint>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.Url))
        {
            return ApiErrors.Missing("url");
        }

        if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.UserInfo.Length > 0 || url.Fragment.Length > 0 || body.Url.Length > 2048)
        {
            return ApiErrors.Invalid("url must be an absolute http or https URL of at most 2048 characters, without credentials or a fragment.", "url");
        }

        if (body.EnabledEvents is not { Length: > 0 } types)
        {
            return ApiErrors.Missing("enabled_events");
        }

        if (types.FirstOrDefault(t => !EventTypes.Contains(t)) is { } unknown)
        {
            return ApiErrors.Invalid($"'{unknown}' is not an event type; enabled_events takes {string.Join(", ", EventTypes)}.", "enabled_events");
        }

        string account = AccountOf(context);
        ApiVersion version;
        if (body.ApiVersion is not null)
        {
            if (!history.TryResolve(body.ApiVersion, out version, out string? error))
            {
                return ApiErrors.Invalid(error, "api_version");
            }
        }
        else
        {
            try
            {
                // By default an endpoint takes the account's version when it is created, as Stripe's do.
                version = (await pins.GetOrPinAsync(account)).Version;
            }
            catch (PinStoreUnavailableException)
            {
                return ApiErrors.Unavailable("The account's API version cannot be read right now; nothing was created. Retry after the time in Retry-After.");
            }
        }

        if ((await events.Store.ListEndpointsAsync(account)).Count >= MaxEndpoints)
        {
            return ApiErrors.Invalid($"An account has at most {MaxEndpoints} webhook endpoints; delete one first.", "url", "webhook_endpoints_limit");
        }

        var endpoint = new StoredEndpoint(PaymentsStore.NewId("we"), account, url, types.Distinct().ToArray(), version, WebhookSignature.NewSecret(), clock.GetUtcNow());
        await events.Store.AddEndpointAsync(endpoint);
        return TypedResults.Ok(Resource(endpoint, secret: true));
    }

    private static WebhookEndpoint Resource(StoredEndpoint endpoint, bool secret) => new()
    {
        Id = endpoint.Id,
        ApiVersion = endpoint.ApiVersion.ToString(),
        Created = endpoint.Created.ToUnixTimeSeconds(),
        EnabledEvents = endpoint.EnabledEvents,
        Secret = secret ? endpoint.Secret : null,
        Status = endpoint.Status == WebhookEndpointStatus.Enabled ? "enabled" : "disabled",
        Url = endpoint.Url.OriginalString,
    };

    // An event at the version it was made, unless the reader named another in the header or a platform reads at its own:
    // the version the caller's code expects is then the one it named.
    private static Task<ReadOnlyMemory<byte>> BodyAsync(HttpContext context, ApiEvents events, ApiEvent apiEvent)
        => context.GetApiVersionFeature() is { Source: ApiVersionSource.Header or ApiVersionSource.Application } feature
            ? events.RenderAsync(apiEvent, feature.Version, ReadEvent)
            : Task.FromResult(apiEvent.Body);

    /// <summary>
    /// An event's payload read back as the event object, at <paramref name="version"/>, with the object it is about as its
    /// resource type (by its <c>object</c> field), so that it renders at any version as when it was made.
    /// </summary>
    public static Event ReadEvent(ApiEvent apiEvent, ApiVersion version)
    {
        var stored = JsonSerializer.Deserialize<Event>(apiEvent.Payload.Span, Json)!;
        object data = stored.Data.Object;
        if (data is JsonElement element && element.TryGetProperty("object", out var name))
        {
            data = name.GetString() switch
            {
                "charge" => element.Deserialize<Charge>(Json)!,
                "customer" => element.Deserialize<Customer>(Json)!,
                "transfer" => element.Deserialize<Transfer>(Json)!,
                "bank_account" => element.Deserialize<BankAccount>(Json)!,
                _ => element,
            };
        }

        return new Event
        {
            Id = stored.Id,
            ApiVersion = version.ToString(),
            Type = stored.Type,
            Created = stored.Created,
            Data = new EventData { Object = data },
            Request = stored.Request,
            PendingWebhooks = stored.PendingWebhooks,
        };
    }

    // A list envelope around JSON already rendered, each event at its own version (ApiList's shape).
    private static ReadOnlyMemory<byte> ListJson(IReadOnlyList<ReadOnlyMemory<byte>> items, bool hasMore, string url)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var item in items)
            {
                writer.WriteRawValue(item.Span, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("has_more", hasMore);
            writer.WriteString("url", url);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
