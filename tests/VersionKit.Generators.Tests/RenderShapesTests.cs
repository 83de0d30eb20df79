using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VersionKit.Generators.Tests;

/// <summary>
/// The shapes Stripe's objects take, on every path (the generated writers, the reference chain, and raw JSON through
/// <see cref="ApiRenderer.Transform"/>): expandable fields (an id or the object, typed <see cref="object"/>), polymorphic
/// fields with and without a discriminator, metadata dictionaries that hold an <c>object</c> key, a C# enum written as a
/// string with a value added, nullable nested resources, list envelopes, resources three deep. Each old shape is written out by hand
/// (a derived type's own properties come before its base's, as System.Text.Json writes them).
/// </summary>
public sealed class RenderShapesTests : IDisposable
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using VersionKit;

        namespace Shapes;

        [ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
        public partial class ShapesHistory;

        public enum ChargeState { Succeeded, Pending, Failed, Disputed }

        [ApiResource("customer")]
        public sealed class Customer
        {
            public string Id { get; set; } = "cus_1";
            public string Object => "customer";
            public string? Nickname { get; set; } = "Ada";
        }

        [JsonDerivedType(typeof(Card))]
        [JsonDerivedType(typeof(BankAccount))]
        public abstract class PaymentSource
        {
            public string Id { get; set; } = "src_1";
        }

        [ApiResource("card")]
        public sealed class Card : PaymentSource
        {
            public string Object => "card";
            public string Last4 { get; set; } = "4242";
        }

        [ApiResource("bank_account")]
        public sealed class BankAccount : PaymentSource
        {
            public string Object => "bank_account";
            public string Last4 { get; set; } = "6789";
        }

        [JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
        [JsonDerivedType(typeof(AppleWallet), "apple")]
        public abstract class Wallet;

        [ApiResource("wallet")]
        public sealed class AppleWallet : Wallet
        {
            public string Id { get; set; } = "wal_1";
            public string Object => "wallet";
            public string DeviceName { get; set; } = "iPhone";
        }

        [ApiResource("refund")]
        public sealed class Refund
        {
            public string Id { get; set; } = "re_1";
            public string Object => "refund";
            public Customer? Customer { get; set; } = new();
            public string? Reason { get; set; } = "duplicate";
        }

        public sealed class Outcome
        {
            public string Type { get; set; } = "authorized";
            public Dictionary<string, string> Details { get; set; } = new() { ["object"] = "card", ["last4"] = "0000" };
        }

        [ApiResource("charge")]
        public sealed class Charge
        {
            public string Id { get; set; } = "ch_1";
            public string Object => "charge";
            public object? Customer { get; set; } = "cus_1";
            public PaymentSource? Source { get; set; } = new Card();
            public Wallet? Wallet { get; set; } = new AppleWallet();
            public Dictionary<string, string> Metadata { get; set; } = new() { ["object"] = "customer", ["nickname"] = "kept" };
            public ChargeState State { get; set; } = ChargeState.Disputed;
            public Outcome? Outcome { get; set; } = new();
            public ApiList<Refund>? Refunds { get; set; } = new(new[] { new Refund() }, "/v1/refunds");
        }

        [VersionChange("2021-01-01", "Customers' `name` is now `nickname`.")]
        [FieldRenamed(typeof(Customer), "name", "nickname")]
        public sealed class CustomerNickname;

        [VersionChange("2021-06-01", "Cards and bank accounts call `last_four` `last4`.")]
        [FieldRenamed(typeof(Card), "last_four", "last4")]
        [FieldRenamed(typeof(BankAccount), "last_four", "last4")]
        public sealed class Last4;

        [VersionChange("2022-01-01", "Charges can be `disputed`; older versions see `failed`.")]
        [EnumValueAdded(typeof(Charge), "state", "disputed", "failed")]
        public sealed class Disputed;

        [VersionChange("2022-06-01", "Wallets name their device `device_name`.")]
        [FieldRenamed(typeof(AppleWallet), "device", "device_name")]
        public sealed class WalletDevice;

        [VersionChange("2023-01-01", "Refunds have a `reason`.")]
        [FieldAdded(typeof(Refund), "reason")]
        public sealed class RefundReason;
        """;

    private readonly LoadedSource _source = LoadedSource.Compile(Source, "Shapes.ShapesHistory", o => o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));

    public void Dispose() => _source.Dispose();

    [Fact]
    public void Every_shape_renders_at_the_initial_version_as_written_by_hand_on_every_path()
    {
        const string Expected = """
            {"id":"ch_1","object":"charge","customer":"cus_1",
             "source":{"object":"card","last_four":"4242","id":"src_1"},
             "wallet":{"kind":"apple","id":"wal_1","object":"wallet","device":"iPhone"},
             "metadata":{"object":"customer","nickname":"kept"},
             "state":"failed",
             "outcome":{"type":"authorized","details":{"object":"card","last4":"0000"}},
             "refunds":{"object":"list","data":[{"id":"re_1","object":"refund","customer":{"id":"cus_1","object":"customer","name":"Ada"}}],"has_more":false,"url":"/v1/refunds"}}
            """;

        AssertEveryPath(_source.New("Shapes.Charge"), "2020-01-01", Expected);
    }

    [Fact]
    public void Expanded_objects_other_sources_and_nulls_render_as_written_by_hand_on_every_path()
    {
        object charge = _source.New("Shapes.Charge");
        object customer = _source.New("Shapes.Customer");
        Set(customer, "Nickname", null);
        Set(charge, "Customer", customer);
        Set(charge, "Source", _source.New("Shapes.BankAccount"));
        Set(charge, "Wallet", null);
        Set(charge, "Metadata", new Dictionary<string, string>());
        Set(charge, "State", Enum.Parse(_source.Type("Shapes.ChargeState"), "Pending"));
        Set(charge, "Outcome", null);
        Set(charge, "Refunds", null);
        const string Expected = """
            {"id":"ch_1","object":"charge","customer":{"id":"cus_1","object":"customer","name":null},
             "source":{"object":"bank_account","last_four":"6789","id":"src_1"},
             "wallet":null,"metadata":{},"state":"pending","outcome":null,"refunds":null}
            """;

        AssertEveryPath(charge, "2020-01-01", Expected);
    }

    [Fact]
    public void Between_changes_each_resource_has_the_shape_of_that_version()
    {
        const string Expected = """
            {"id":"ch_1","object":"charge","customer":"cus_1",
             "source":{"object":"card","last4":"4242","id":"src_1"},
             "wallet":{"kind":"apple","id":"wal_1","object":"wallet","device":"iPhone"},
             "metadata":{"object":"customer","nickname":"kept"},
             "state":"failed",
             "outcome":{"type":"authorized","details":{"object":"card","last4":"0000"}},
             "refunds":{"object":"list","data":[{"id":"re_1","object":"refund","customer":{"id":"cus_1","object":"customer","nickname":"Ada"}}],"has_more":false,"url":"/v1/refunds"}}
            """;

        AssertEveryPath(_source.New("Shapes.Charge"), "2021-06-01", Expected);
    }

    [Fact]
    public void At_the_latest_version_every_path_writes_what_System_Text_Json_writes()
    {
        object charge = _source.New("Shapes.Charge");
        string current = JsonSerializer.Serialize(charge, _source.Options);

        Assert.Contains("\"state\":\"disputed\"", current, StringComparison.Ordinal);
        Assert.Equal(current, _source.Writers.Render(charge, _source.History.Latest));
        Assert.Equal(current, _source.Reference.Render(charge, _source.History.Latest));
        foreach (var version in _source.History.Versions)
        {
            Assert.Equal(_source.Reference.Render(charge, version), _source.Writers.Render(charge, version));
        }
    }

    private void AssertEveryPath(object payload, string version, string expected)
    {
        string byHand = JsonNode.Parse(expected)!.ToJsonString();
        var at = ApiVersion.Parse(version);
        Assert.Equal(byHand, _source.Writers.Render(payload, at));
        Assert.Equal(byHand, _source.Reference.Render(payload, at));

        // Raw JSON: resources found by their object field, and inside a resource only where one can be.
        var raw = JsonNode.Parse(JsonSerializer.Serialize(payload, _source.Options));
        _source.Writers.Transform(raw, at);
        Assert.Equal(byHand, raw!.ToJsonString());
    }

    private static void Set(object target, string property, object? value) => target.GetType().GetProperty(property)!.SetValue(target, value);
}
