using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using VersionKit.Benchmarks.History;
using VersionKit.Generated;

namespace VersionKit.Benchmarks;

/// <summary>
/// What is measured must be right: before any measurement, every payload and version the benchmarks use is rendered
/// by the compiled path, the reference chain and (where one exists) the naive chain, and the three must agree.
/// </summary>
public static class Verification
{
    public static void Run()
    {
        RoundTrip("charge.json", Payloads.Json.Charge);
        RoundTrip("invoice.json", Payloads.Json.Invoice);

        foreach (int back in new[] { 0, 1, 10, 99, 100 })
        {
            AllAgree(Payloads.Charge(Payloads.Json.Charge), Payloads.Json.Charge, back);
            AllAgree(Payloads.Charge(Payloads.Json.CodeCharge), Payloads.Json.CodeCharge, back);
            AllAgree(Payloads.Charge(Payloads.Json.JsonCodeCharge), Payloads.Json.JsonCodeCharge, back);
            AllAgree(Payloads.Charge(Payloads.Json.ObjectCodeCharge), Payloads.Json.ObjectCodeCharge, back);
            AllAgree(Payloads.Charge(Payloads.Json.ComputedCharge), Payloads.Json.ComputedCharge, back);
        }

        foreach (int back in new[] { 0, 1, 10, 100, 499, 500 })
        {
            AllAgree(Payloads.Charge(Payloads.Json.BusyCharge), Payloads.Json.BusyCharge, back);
            Agree($"quiet_charge {back} back", Serialize(Payloads.Charge(Payloads.Json.QuietCharge), Payloads.Json.QuietCharge), Render(Payloads.Renderer, Payloads.Charge(Payloads.Json.QuietCharge), back));
        }

        foreach (int back in new[] { 0, 100 })
        {
            var invoice = Payloads.Invoice(3);
            Agree($"invoice {back} back", Render(Payloads.Reference, invoice, back), Render(Payloads.Renderer, invoice, back));
            var events = Payloads.Events(3);
            Agree($"events {back} back", Render(Payloads.Reference, events, back), Render(Payloads.Renderer, events, back));
        }

        Agree("invoice at the latest", Serialize(Payloads.Invoice(3), Payloads.Json.Invoice), Render(Payloads.Renderer, Payloads.Invoice(3), 0));
        Agree("events at the latest", Serialize(Payloads.Events(3), Payloads.Json.ApiListEvent), Render(Payloads.Renderer, Payloads.Events(3), 0));
        // Stripe's real objects through Stripe's real history: the writers agree with the reference chain at every version,
        // and at the latest a render is plain serialization.
        foreach (string name in StripePayload.Objects)
        {
            var payload = StripePayload.Of(name);
            foreach (var version in Stripe.StripeHistory.Default.Versions)
            {
                Agree($"Stripe {name} at {version} (reference chain)", payload.RenderText(StripePayload.Reference, version), payload.RenderText(StripePayload.Renderer, version));
            }

            Agree($"Stripe {name} at the latest (baseline)", payload.SerializeText(), payload.RenderText(StripePayload.Renderer, Stripe.StripeHistory.Default.Latest));
        }

        Chain("charge", steps: 100);
        Chain("code_charge", steps: 100, typedFieldCode: 10);
        Chain("json_code_charge", steps: 100, fieldCode: 10);
        Chain("object_code_charge", steps: 100, wholeCode: 10);
        Chain("computed_charge", steps: 100, typedComputed: 10);
        Chain("busy_charge", steps: 500);
        Chain("quiet_charge", steps: 0);
    }

    // Each case measures the kind of history its name says: so many versions, so much code of each form.
    private static void Chain(string resource, int steps, int typedFieldCode = 0, int fieldCode = 0, int wholeCode = 0, int typedComputed = 0)
    {
        var plan = Payloads.History.Resources.Single(r => r.ObjectName == resource).Plan!;
        var ops = plan.Steps.SelectMany(s => s.Code.Concat(s.Declarations)).ToList();
        var actual = (plan.Steps.Count,
            ops.Count(o => o.Kind == PlanOpKind.TypedFieldCode),
            ops.Count(o => o.Kind == PlanOpKind.FieldCode),
            ops.Count(o => o.Kind == PlanOpKind.Code),
            ops.Count(o => o.Kind == PlanOpKind.Restore && o.Typed is not null));
        if (actual != (steps, typedFieldCode, fieldCode, wholeCode, typedComputed))
        {
            throw new InvalidOperationException(
                $"{resource} has (steps, typed field code, JSON field code, code on the whole resource, typed computations) = {actual}, not "
                + $"{(steps, typedFieldCode, fieldCode, wholeCode, typedComputed)}: the synthetic history is not the one the cases describe.");
        }
    }

    private static void AllAgree<T>(T value, JsonTypeInfo<T> typeInfo, int back)
        where T : class
    {
        string label = $"{typeof(T).Name} {back} back";
        string compiled = Render(Payloads.Renderer, value, back);
        Agree(label + " (reference chain)", Render(Payloads.Reference, value, back), compiled);
        var naive = new ArrayBufferWriter<byte>();
        NaiveHistory.Render(naive, value, typeInfo, Payloads.NaiveSteps<T>(), Payloads.Latest - back);
        Agree(label + " (naive chain)", Encoding.UTF8.GetString(naive.WrittenSpan), compiled);
        if (back == 0)
        {
            Agree(label + " (baseline)", Serialize(value, typeInfo), compiled);
        }
    }

    private static void RoundTrip<T>(string file, JsonTypeInfo<T> typeInfo)
    {
        var fixture = Payloads.Read(file);
        var value = fixture.Deserialize(typeInfo)!;
        var written = JsonNode.Parse(JsonSerializer.Serialize(value, typeInfo))!;
        if (!JsonNode.DeepEquals(fixture, written))
        {
            throw new InvalidOperationException($"{file} does not survive a round trip through {typeof(T).Name}: {written.ToJsonString()}");
        }
    }

    private static string Render<T>(ApiRenderer renderer, T value, int back) => renderer.Render(value, Payloads.VersionsBack(back));

    private static string Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(value, typeInfo);

    private static void Agree(string label, string expected, string actual)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException($"{label}: the renders differ.\nexpected: {expected}\nactual:   {actual}");
        }
    }
}
