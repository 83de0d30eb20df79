using System.Text.Json;
using Payments.Api.Changes;
using VersionKit.AspNetCore;

namespace Payments.Api;

/// <summary>The payments API: a Stripe-like sample of VersionKit. <c>dotnet run --project samples/Payments.Api</c> serves it.</summary>
public static class PaymentsApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddVersionKit(PaymentsApiHistory.Default);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PaymentsStore>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use((context, next) =>
        {
            // Stripe answers every request with its id; events created by the request carry it too.
            context.TraceIdentifier = PaymentsStore.NewId("req");
            context.Response.Headers["Request-Id"] = context.TraceIdentifier;
            return next(context);
        });

        app.MapGet("/", () => new
        {
            name = "Payments API (VersionKit sample)",
            latest_version = PaymentsApiHistory.Default.Latest.ToString(),
            versions = PaymentsApiHistory.Default.Versions.Select(v => v.ToString()),
        });

        MapApi(app.MapGroup("/v1").WithVersionKit());
        return app;
    }

    private static void MapApi(RouteGroupBuilder api)
    {
        api.MapPost("/customers", async (HttpRequest request, PaymentsStore store) =>
        {
            var (body, problem) = await RequestBody.ReadAsync<CreateCustomer>(request);
            if (problem is not null)
            {
                return problem;
            }

            if (string.IsNullOrWhiteSpace(body!.Email))
            {
                return RequestBody.Missing("email");
            }

            var customer = new Customer { Id = PaymentsStore.NewId("cus"), Created = store.Now, Email = body.Email, Name = body.Name };
            store.Add(customer.Id, customer);
            return TypedResults.Ok(customer);
        });

        api.MapGet("/customers/{id}", (string id, PaymentsStore store)
            => store.Find<Customer>(id) is { } customer ? TypedResults.Ok(customer) : RequestBody.NotFound("customer", id));

        api.MapPost("/customers/{id}/bank_accounts", async (string id, HttpRequest request, PaymentsStore store) =>
        {
            if (store.Find<Customer>(id) is null)
            {
                return RequestBody.NotFound("customer", id);
            }

            var (body, problem) = await RequestBody.ReadAsync<CreateBankAccount>(request);
            if (problem is not null)
            {
                return problem;
            }

            foreach (var (name, value) in new[] { ("country", body!.Country), ("currency", body.Currency), ("account_number", body.AccountNumber), ("routing_number", body.RoutingNumber) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    return RequestBody.Missing(name);
                }
            }

            if (body.AccountNumber!.Length < 4 || !body.AccountNumber.All(char.IsAsciiDigit))
            {
                return RequestBody.Invalid("account_number must be at least 4 digits.", "account_number");
            }

            // Test numbers, as Stripe's: an account ending in 0000 verifies at once, one ending in 1116 has errored.
            string status = body.AccountNumber.EndsWith("0000", StringComparison.Ordinal) ? "verified"
                : body.AccountNumber.EndsWith("1116", StringComparison.Ordinal) ? "errored"
                : "new";
            var account = new BankAccount
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
            store.Add(account.Id, account);
            return TypedResults.Ok(account);
        });

        api.MapGet("/customers/{id}/bank_accounts/{bankAccountId}", (string id, string bankAccountId, PaymentsStore store)
            => store.Find<BankAccount>(bankAccountId) is { } account && account.Customer == id
                ? TypedResults.Ok(account)
                : RequestBody.NotFound("bank_account", bankAccountId));

        api.MapPost("/charges", async (HttpContext context, PaymentsStore store) =>
        {
            var (body, problem) = await RequestBody.ReadAsync<CreateCharge>(context.Request);
            if (problem is not null)
            {
                return problem;
            }

            if (body!.Amount is not { } amount)
            {
                return RequestBody.Missing("amount");
            }

            if (amount <= 0)
            {
                return RequestBody.Invalid("amount must be a positive integer in the smallest currency unit.", "amount");
            }

            if (string.IsNullOrWhiteSpace(body.Currency))
            {
                return RequestBody.Missing("currency");
            }

            if (body.Customer is not null && store.Find<Customer>(body.Customer) is null)
            {
                return RequestBody.NotFound("customer", body.Customer);
            }

            string? idempotencyKey = context.Request.Headers["Idempotency-Key"].FirstOrDefault();
            var charge = store.ChargeOnce(idempotencyKey, () =>
            {
                var created = new Charge
                {
                    Id = PaymentsStore.NewId("ch"),
                    Amount = amount,
                    Currency = body.Currency.ToLowerInvariant(),
                    Customer = body.Customer,
                    Created = store.Now,
                    Source = body.Source,
                    ReceiptEmail = body.ReceiptEmail,
                };
                store.Add(created.Id, created);
                store.Record(new Event
                {
                    Id = PaymentsStore.NewId("evt"),
                    Type = "charge.succeeded",
                    Created = created.Created,
                    Data = new EventData { Object = created },
                    Request = new EventRequest { Id = context.TraceIdentifier, IdempotencyKey = idempotencyKey },
                });
                return created;
            });
            return TypedResults.Ok(charge);
        });

        api.MapGet("/charges/{id}", (string id, PaymentsStore store)
            => store.Find<Charge>(id) is { } charge ? TypedResults.Ok(charge) : RequestBody.NotFound("charge", id));

        api.MapGet("/events", (PaymentsStore store, int? limit) =>
        {
            if (limit is < 1 or > 100)
            {
                return RequestBody.Invalid("limit must be between 1 and 100.", "limit");
            }

            var events = store.Events(limit ?? 10, out bool hasMore);
            return TypedResults.Ok(new VersionKit.ApiList<Event>(events, "/v1/events", hasMore));
        });

        api.MapGet("/events/{id}", (string id, PaymentsStore store)
            => store.Find<Event>(id) is { } @event ? TypedResults.Ok(@event) : RequestBody.NotFound("event", id));

        api.MapPost("/transfers", async (HttpContext context, PaymentsStore store) =>
        {
            var (body, problem) = await RequestBody.ReadAsync<CreateTransfer>(context.Request);
            if (problem is not null)
            {
                return problem;
            }

            if (body!.Amount is not > 0)
            {
                return body.Amount is null ? RequestBody.Missing("amount") : RequestBody.Invalid("amount must be a positive integer.", "amount");
            }

            if (string.IsNullOrWhiteSpace(body.Currency))
            {
                return RequestBody.Missing("currency");
            }

            if (string.IsNullOrWhiteSpace(body.Destination))
            {
                return RequestBody.Missing("destination");
            }

            // The change with side effects: callers older than 2017-04-06 get legacy transfers, a different code path.
            bool legacy = context.IsVersionChangeActive<LegacyTransfers>();
            string status;
            if (legacy)
            {
                if (store.Find<BankAccount>(body.Destination) is null)
                {
                    return RequestBody.Invalid($"Legacy transfers go to a bank account (ba_...); no such bank account: '{body.Destination}'.", "destination");
                }

                status = "pending";
            }
            else
            {
                if (!body.Destination.StartsWith("acct_", StringComparison.Ordinal))
                {
                    return RequestBody.Invalid($"Transfers go to a connected account (acct_...), not '{body.Destination}'. Callers before 2017-04-06 transfer to bank accounts.", "destination");
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
            store.Add(transfer.Id, transfer);
            return TypedResults.Ok(transfer);
        });
    }
}
