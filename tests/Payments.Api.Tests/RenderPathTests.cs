using System.Text.Json;
using VersionKit;

namespace Payments.Api.Tests;

/// <summary>The sample's whole history, rendered by the compiled path and by the reference chain: the same bytes at every version.</summary>
public class RenderPathTests
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static IEnumerable<object> Payloads()
    {
        var charge = new Charge { Id = "ch_1", Amount = 2000, Currency = "usd", Created = 1700000000, Customer = "cus_1", Source = "card_1", ReceiptEmail = "a@b.c" };
        yield return charge;
        yield return new Customer { Id = "cus_1", Created = 1700000000, Email = "a@b.c", Name = "Jenny", Balance = -500 };
        foreach (string status in new[] { "new", "validated", "verified", "verification_failed", "errored" })
        {
            yield return new BankAccount { Id = "ba_1", Customer = "cus_1", Country = "US", Currency = "usd", Last4 = "6789", RoutingNumber = "110000000", Status = status, AccountHolderName = "J" };
        }

        yield return new Transfer { Id = "tr_1", Amount = 100, Currency = "usd", Destination = "acct_1", Created = 1700000000, Status = "paid" };
        yield return new Account { Id = "acct_1", ApiVersion = "2011-08-01", Created = 1700000000 };
        yield return new ErrorResponse { Error = new ApiError { Type = "invalid_request_error", Code = "parameter_missing", Message = "Missing amount.", Param = "amount" } };
        var @event = new Event
        {
            Id = "evt_1",
            Type = "charge.succeeded",
            Created = 1700000000,
            Data = new EventData { Object = charge },
            Request = new EventRequest { Id = "req_1", IdempotencyKey = "k" },
            PendingWebhooks = 2,
        };
        yield return @event;
        yield return new ApiList<Event>([@event, @event], "/v1/events", hasMore: true);

        // Events read back from the database hold their object as raw JSON.
        yield return new Event { Id = "evt_2", Type = "charge.succeeded", Created = 1, Data = new EventData { Object = JsonSerializer.SerializeToElement(charge, Options) } };
    }

    [Fact]
    public void Every_resource_renders_the_same_by_both_paths_at_every_version()
    {
        var compiled = new ApiRenderer(PaymentsApiHistory.Default, Options, RenderPath.Compiled);
        var reference = new ApiRenderer(PaymentsApiHistory.Default, Options, RenderPath.Reference);
        foreach (var version in PaymentsApiHistory.Default.Versions)
        {
            foreach (var payload in Payloads())
            {
                Assert.Equal(reference.Render(payload, version), compiled.Render(payload, version));
            }
        }
    }
}
