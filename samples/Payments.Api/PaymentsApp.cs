using System.Text.Json;
using Payments.Api.Changes;
using VersionKit;
using VersionKit.AspNetCore;
using VersionKit.Pins;

namespace Payments.Api;

/// <summary>
/// The payments API: a Stripe-like sample of VersionKit, its data and pins in SQLite (<c>Payments:Database</c>, by default
/// <c>payments.db</c> in the content root), or its pins in PostgreSQL (<c>VersionKit:PostgreSql</c>, a connection string).
/// <c>dotnet run --project samples/Payments.Api</c> serves it.
/// </summary>
public static class PaymentsApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        string database = builder.Configuration["Payments:Database"]
            ?? "Data Source=" + Path.Combine(builder.Environment.ContentRootPath, "payments.db");

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        var versionKit = builder.Services.AddVersionKit(PaymentsApiHistory.Default, o => o
                .Deprecate("2011-08-01", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))
                .Sunset("2011-08-01", new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)))
            .AddOpenApi()
            .AddDocs()
            .UseErrors(ApiErrors.FromVersionKit);
        if (builder.Configuration["VersionKit:PostgreSql"] is { Length: > 0 } pinDatabase)
        {
            // Many machines share their pins: --VersionKit:PostgreSql="Host=...;Database=...;Username=...;Password=...".
            versionKit.UsePostgreSqlPins(pinDatabase);
        }
        else
        {
            // One machine: the pins beside the sample's own data, in its SQLite file.
            versionKit.UseSqlitePins(database);
        }

        // Events, webhook endpoints and the outbox of deliveries: beside the sample's data, or in PostgreSQL, the pins'
        // database, for instances that deliver from one outbox (--Webhooks:PostgreSql="Host=..."). Options from Webhooks:*.
        if (builder.Configuration["Webhooks:PostgreSql"] is { Length: > 0 } eventDatabase)
        {
            versionKit.UsePostgreSqlWebhooks(eventDatabase);
        }
        else
        {
            versionKit.UseSqliteWebhooks(database);
        }

        versionKit.AddWebhooks(o => builder.Configuration.GetSection("Webhooks").Bind(o));

        builder.Services.AddSingleton(sp => new PaymentsStore(database, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddAuthentication(StripeKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, StripeKeyAuthentication>(StripeKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(StripeKeyAuthentication.AddPolicy);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ApiErrors.ExceptionAsync });
        app.UseStatusCodePages(ApiErrors.StatusCodePageAsync);
        app.Use((context, next) =>
        {
            // Stripe answers every request with its id; events created by the request carry it too.
            context.TraceIdentifier = PaymentsStore.NewId("req");
            context.Response.Headers["Request-Id"] = context.TraceIdentifier;
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseVersionKit();

        app.MapGet("/", () => new
        {
            name = "Payments API (VersionKit sample)",
            latest_version = PaymentsApiHistory.Default.Latest.ToString(),
            versions = PaymentsApiHistory.Default.Versions.Select(v => v.ToString()),
        });

        var api = app.MapGroup("/v1").WithVersionKit();
        MapTestHelpers(api);
        var authenticated = api.MapGroup("").RequireAuthorization(StripeKeyAuthentication.Policy);
        MapAccount(authenticated);
        MapCustomers(authenticated);
        MapCharges(authenticated);
        PaymentsEvents.Map(authenticated);
        MapTransfers(authenticated);
        MapBalance(authenticated);
        MapRecipients(authenticated);
        app.MapVersionKitDocs();

        // Which release each account calls: a demo, so open to all; a real API puts it behind its operators' authorization.
        app.MapVersionKitVersions();
        app.MapVersionKitOpenApi();

        // For a load balancer: whether the data file is there and answers.
        app.MapGet("/healthz", async (PaymentsStore store) => await store.IsHealthyAsync()
            ? Results.Json(new { status = "ok" })
            : Results.Json(new { status = "unavailable", detail = "The data file is missing or cannot be opened." }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }

    /// <summary>The account whose data the request touches: the key's owner, or the connected account a platform acts for.</summary>
    private static string AccountOf(HttpContext context) => context.GetApiVersionFeature().Caller.AccountId!;

    private static async Task<IResult> ToAccount(PaymentsStore store, ApiVersionPins pins, string id)
    {
        var record = (await store.FindAccountAsync(id))!;
        ApiVersionPin pin;
        try
        {
            pin = await pins.GetOrPinAsync(id);
        }
        catch (PinStoreUnavailableException)
        {
            return ApiErrors.Unavailable("The account's API version cannot be read right now; retry after the time in Retry-After.");
        }

        return TypedResults.Ok(new Account { Id = id, ApiVersion = pin.Version.ToString(), Platform = record.Platform, Created = record.Created });
    }

    // The sample's policy: an account's version is the account's own to change. A platform acting for a connected account
    // (Stripe-Account) may read it, not move it, since the account's own integration would break.
    private static IResult? RefusePinChange(HttpContext context)
        => context.GetApiVersionFeature().Caller.ApplicationId is { } platform
            ? ApiErrors.Error(StatusCodes.Status403Forbidden, "permission_error", "platform_cannot_change_api_version",
                $"The platform '{platform}' cannot change the API version of a connected account; the account changes it itself.", null)
            : null;

    private static void MapTestHelpers(RouteGroupBuilder api)
        => api.MapPost("/test_helpers/accounts", async (HttpRequest request, PaymentsStore store, ApiVersionPins pins, ApiHistory history) =>
        {
            var (body, problem) = await RequestBody.ReadAsync<CreateTestAccount>(request);
            if (problem is not null)
            {
                return problem;
            }

            if (string.IsNullOrWhiteSpace(body!.Id) || !body.Id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || body.Id.Length > 64)
            {
                return body.Id is null ? ApiErrors.Missing("id") : ApiErrors.Invalid("id must be 1 to 64 letters, digits or underscores.", "id");
            }

            var version = history.Latest;
            if (body.ApiVersion is not null && !history.TryResolve(body.ApiVersion, out version, out string? error))
            {
                return ApiErrors.Invalid(error, "api_version");
            }

            if (body.Platform is not null && await store.FindAccountAsync(body.Platform) is null)
            {
                return ApiErrors.NotFound("account", body.Platform);
            }

            if (history.GetRelease(version).IsPreview)
            {
                return ApiErrors.Invalid($"{version} is a preview: an account cannot be pinned to it; name it in the Stripe-Version header instead.", "api_version");
            }

            if (!await store.CreateAccountAsync(body.Id, body.Platform))
            {
                return ApiErrors.Invalid($"The account '{body.Id}' already exists.", "id");
            }

            await pins.AssignAsync(body.Id, version, PinActor.Operator("test_helpers"));
            return await ToAccount(store, pins, body.Id);
        }).AllowAnonymous();

    private static void MapAccount(RouteGroupBuilder api)
    {
        api.MapGet("/account", (HttpContext context, PaymentsStore store, ApiVersionPins pins) => ToAccount(store, pins, AccountOf(context)));

        api.MapPost("/account/api_version", async (HttpContext context, PaymentsStore store, ApiVersionPins pins, ApiHistory history) =>
        {
            var (body, problem) = await RequestBody.ReadAsync<UpdateApiVersion>(context.Request);
            if (problem is not null)
            {
                return problem;
            }

            if (body!.ApiVersion is null)
            {
                return ApiErrors.Missing("api_version");
            }

            if (!history.TryResolve(body.ApiVersion, out var version, out string? error))
            {
                return ApiErrors.Invalid(error, "api_version");
            }

            string account = AccountOf(context);
            if (RefusePinChange(context) is { } refusal)
            {
                return refusal;
            }

            try
            {
                await pins.UpgradeAsync(account, version, PinActor.Account(account));
            }
            catch (PinChangeRefusedException refused)
            {
                return ApiErrors.Invalid(refused.Message, "api_version");
            }
            catch (PinStoreUnavailableException)
            {
                return ApiErrors.Unavailable("The account's API version cannot be changed right now; nothing was changed. Retry after the time in Retry-After.");
            }

            return await ToAccount(store, pins, account);
        });

        api.MapPost("/account/api_version/rollback", async (HttpContext context, PaymentsStore store, ApiVersionPins pins) =>
        {
            string account = AccountOf(context);
            if (RefusePinChange(context) is { } refusal)
            {
                return refusal;
            }

            try
            {
                await pins.RollbackAsync(account, PinActor.Account(account));
            }
            catch (PinChangeRefusedException refused)
            {
                return ApiErrors.Invalid(refused.Message);
            }
            catch (PinStoreUnavailableException)
            {
                return ApiErrors.Unavailable("The account's API version cannot be changed right now; nothing was changed. Retry after the time in Retry-After.");
            }

            return await ToAccount(store, pins, account);
        });
    }

    private static void MapCustomers(RouteGroupBuilder api)
    {
        api.MapPost("/customers", async (HttpContext context, PaymentsStore store) =>
        {
            var (body, problem) = await RequestBody.ReadAsync<CreateCustomer>(context.Request);
            if (problem is not null)
            {
                return problem;
            }

            if (string.IsNullOrWhiteSpace(body!.Email))
            {
                return ApiErrors.Missing("email");
            }

            var customer = new Customer { Id = PaymentsStore.NewId("cus"), Created = store.Now, Email = body.Email, Name = body.Name, Balance = body.Balance ?? 0 };
            await store.AddAsync(AccountOf(context), customer.Id, customer);
            return TypedResults.Ok(customer);
        }).WithApiRequest<CreateCustomer>();

        api.MapGet("/customers/{id}", async (string id, HttpContext context, PaymentsStore store)
            => await store.FindAsync<Customer>(AccountOf(context), id) is { } customer ? TypedResults.Ok(customer) : ApiErrors.NotFound("customer", id));

        api.MapPost("/customers/{id}/bank_accounts", async (string id, HttpContext context, PaymentsStore store) =>
        {
            string account = AccountOf(context);
            if (await store.FindAsync<Customer>(account, id) is null)
            {
                return ApiErrors.NotFound("customer", id);
            }

            var (body, problem) = await RequestBody.ReadAsync<CreateBankAccount>(context.Request);
            if (problem is not null)
            {
                return problem;
            }

            foreach (var (name, value) in new[] { ("country", body!.Country), ("currency", body.Currency), ("account_number", body.AccountNumber), ("routing_number", body.RoutingNumber) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    return ApiErrors.Missing(name);
                }
            }

            if (body.AccountNumber!.Length < 4 || !body.AccountNumber.All(char.IsAsciiDigit))
            {
                return ApiErrors.Invalid("account_number must be at least 4 digits.", "account_number");
            }

            // Test numbers, as Stripe's: an account ending in 0000 verifies at once, one ending in 1116 has errored.
            string status = body.AccountNumber.EndsWith("0000", StringComparison.Ordinal) ? "verified"
                : body.AccountNumber.EndsWith("1116", StringComparison.Ordinal) ? "errored"
                : "new";
            var bankAccount = new BankAccount
            {
                Id = PaymentsStore.NewId("ba"),
                Customer = id,
                AccountHolderName = body.AccountHolderName,
                Country = body.Country!,
                Currency = body.Currency!.ToLowerInvariant(),
                Last4 = body.AccountNumber[^4..],
                RoutingNumber = body.RoutingNumber!,
                Status = status,
            };
            await store.AddAsync(account, bankAccount.Id, bankAccount);
            return TypedResults.Ok(bankAccount);
        }).WithApiRequest<CreateBankAccount>();

        api.MapGet("/customers/{id}/bank_accounts/{bankAccountId}", async (string id, string bankAccountId, HttpContext context, PaymentsStore store)
            => await store.FindAsync<BankAccount>(AccountOf(context), bankAccountId) is { } bankAccount && bankAccount.Customer == id
                ? TypedResults.Ok(bankAccount)
                : ApiErrors.NotFound("bank_account", bankAccountId));
    }

    private static void MapCharges(RouteGroupBuilder api)
    {
        api.MapPost("/charges", async (HttpContext context, PaymentsStore store, ApiVersionPins pins, VersionKit.Webhooks.ApiEvents events) =>
        {
            var (body, problem) = await RequestBody.ReadAsync<CreateCharge>(context.Request);
            if (problem is not null)
            {
                return problem;
            }

            if (body!.Amount is not { } amount)
            {
                return ApiErrors.Missing("amount");
            }

            if (amount <= 0)
            {
                return ApiErrors.Invalid("amount must be a positive integer in the smallest currency unit.", "amount");
            }

            if (string.IsNullOrWhiteSpace(body.Currency))
            {
                return ApiErrors.Missing("currency");
            }

            string account = AccountOf(context);
            if (body.Customer is not null && await store.FindAsync<Customer>(account, body.Customer) is null)
            {
                return ApiErrors.NotFound("customer", body.Customer);
            }

            var keys = context.Request.Headers["Idempotency-Key"];
            string? idempotencyKey = null;
            if (keys.Count > 0)
            {
                idempotencyKey = keys.Count == 1 ? keys[0] : null;
                if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 255)
                {
                    return ApiErrors.Error(StatusCodes.Status400BadRequest, ApiErrors.InvalidRequest, "idempotency_key_invalid",
                        "The Idempotency-Key header must be sent once, with 1 to 255 characters.", null);
                }
            }

            // The charge's event is made at the account's version, whatever version this request names.
            ApiVersion accountVersion;
            try
            {
                accountVersion = (await pins.GetOrPinAsync(account)).Version;
            }
            catch (PinStoreUnavailableException)
            {
                return ApiErrors.Unavailable("The account's API version cannot be read right now; nothing was charged. Retry after the time in Retry-After.");
            }

            var (charge, reused) = await store.ChargeOnceAsync(
                account,
                idempotencyKey,
                JsonSerializer.Serialize(body),
                () => new Charge
                {
                    Id = PaymentsStore.NewId("ch"),
                    Amount = amount,
                    Currency = body.Currency.ToLowerInvariant(),
                    Customer = body.Customer,
                    Created = store.Now,
                    Source = body.Source,
                    ReceiptEmail = body.ReceiptEmail,

                    // The sample's stand-in for a risk model: large amounts look riskier.
                    RiskScore = amount >= 100_000 ? 70 : 15,
                });
            if (reused)
            {
                return ApiErrors.Error(StatusCodes.Status400BadRequest, "idempotency_error", "idempotency_key_in_use",
                    $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{idempotencyKey}' if you meant to execute a different request.", null);
            }

            try
            {
                // A retry with the same key publishes the same event id again: recorded once, and recorded then if it was lost.
                await PaymentsEvents.ChargeSucceededAsync(events, account, accountVersion, charge!, new EventRequest { Id = context.TraceIdentifier, IdempotencyKey = idempotencyKey });
            }
            catch (VersionKit.Webhooks.WebhookStoreUnavailableException)
            {
                return ApiErrors.Error(StatusCodes.Status503ServiceUnavailable, "api_error", "event_store_unavailable",
                    "The charge was made but its event could not be recorded; retry with the same Idempotency-Key to record it.", null);
            }

            return TypedResults.Ok(charge);
        }).WithApiRequest<CreateCharge>();

        api.MapGet("/charges/{id}", async (string id, HttpContext context, PaymentsStore store)
            => await store.FindAsync<Charge>(AccountOf(context), id) is { } charge ? TypedResults.Ok(charge) : ApiErrors.NotFound("charge", id));
    }

    private static void MapTransfers(RouteGroupBuilder api)
        => api.MapPost("/transfers", async (HttpContext context, PaymentsStore store) =>
        {
            var (body, problem) = await RequestBody.ReadAsync<CreateTransfer>(context.Request);
            if (problem is not null)
            {
                return problem;
            }

            if (body!.Amount is not > 0)
            {
                return body.Amount is null ? ApiErrors.Missing("amount") : ApiErrors.Invalid("amount must be a positive integer.", "amount");
            }

            if (string.IsNullOrWhiteSpace(body.Currency))
            {
                return ApiErrors.Missing("currency");
            }

            if (string.IsNullOrWhiteSpace(body.Destination))
            {
                return ApiErrors.Missing("destination");
            }

            // The change with side effects: callers older than 2017-04-06 get legacy transfers, a different code path.
            string account = AccountOf(context);
            string status;
            if (context.CallerPredates<LegacyTransfers>())
            {
                if (await store.FindAsync<BankAccount>(account, body.Destination) is null)
                {
                    return ApiErrors.Invalid($"Legacy transfers go to a bank account (ba_...); no such bank account: '{body.Destination}'.", "destination");
                }

                status = "pending";
            }
            else
            {
                if (await store.FindAccountAsync(body.Destination) is not { } destination || destination.Platform != account)
                {
                    return ApiErrors.Invalid($"Transfers go to one of your connected accounts; '{body.Destination}' is not one. Callers before 2017-04-06 transfer to bank accounts.", "destination");
                }

                status = "paid";
            }

            var transfer = new Transfer
            {
                Id = PaymentsStore.NewId("tr"),
                Amount = body.Amount.Value,
                Currency = body.Currency.ToLowerInvariant(),
                Destination = body.Destination,
                Created = store.Now,
                Status = status,
            };
            await store.AddAsync(account, transfer.Id, transfer);
            return TypedResults.Ok(transfer);
        }).WithApiRequest<CreateTransfer>();

    /// <summary>The account's balance, an endpoint since 2016-07-06: callers at older versions get 404 saying so.</summary>
    private static void MapBalance(RouteGroupBuilder api)
        => api.MapGet("/balance", async (HttpContext context, PaymentsStore store) =>
        {
            string account = AccountOf(context);
            var paidIn = (await store.ListAsync<Charge>(account)).Select(c => (c.Currency, c.Amount));
            var transfers = await store.ListAsync<Transfer>(account);
            var paidOut = transfers.Where(t => t.Status == "paid").Select(t => (t.Currency, -t.Amount));
            var pending = transfers.Where(t => t.Status == "pending").Select(t => (t.Currency, -t.Amount));
            return TypedResults.Ok(new Balance { Available = PerCurrency(paidIn.Concat(paidOut)), Pending = PerCurrency(pending) });
        }).IntroducedIn("2016-07-06");

    private static BalanceAmount[] PerCurrency(IEnumerable<(string Currency, long Amount)> amounts)
        => [.. amounts.GroupBy(a => a.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new BalanceAmount { Currency = g.Key, Amount = g.Sum(a => a.Amount) })];

    /// <summary>Recipients, until 2017-04-06 moved transfers to connected accounts: callers at it and after get 410.</summary>
    private static void MapRecipients(RouteGroupBuilder api)
    {
        var recipients = api.MapGroup("/recipients").RemovedIn("2017-04-06");
        recipients.MapPost("", async (HttpContext context, PaymentsStore store) =>
        {
            var (body, problem) = await RequestBody.ReadAsync<CreateRecipient>(context.Request);
            if (problem is not null)
            {
                return problem;
            }

            if (string.IsNullOrWhiteSpace(body!.Name))
            {
                return ApiErrors.Missing("name");
            }

            if (body.Type is not ("individual" or "corporation"))
            {
                return body.Type is null ? ApiErrors.Missing("type") : ApiErrors.Invalid("type must be 'individual' or 'corporation'.", "type");
            }

            var recipient = new Recipient { Id = PaymentsStore.NewId("rp"), Name = body.Name, Type = body.Type, Email = body.Email, Created = store.Now };
            await store.AddAsync(AccountOf(context), recipient.Id, recipient);
            return TypedResults.Ok(recipient);
        });

        recipients.MapGet("", async (HttpContext context, PaymentsStore store)
            => TypedResults.Ok(new ApiList<Recipient>(await store.ListAsync<Recipient>(AccountOf(context)), "/v1/recipients", hasMore: false)));
    }
}
