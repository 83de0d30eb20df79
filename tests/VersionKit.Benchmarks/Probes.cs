using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VersionKit.Benchmarks;

/// <summary>One focused measurement: a time per operation and the bytes it allocates; for a step, against the render before it.</summary>
/// <param name="Name">What is measured.</param>
/// <param name="Ns">Median time per operation.</param>
/// <param name="Bytes">Bytes allocated per operation.</param>
/// <param name="DeltaNs">For a step: its time minus the time of the render it is paired with, as the paired ratio puts it (<c>Ns - Ns / Ratio</c>); else <see langword="null"/>.</param>
/// <param name="Ratio">For a step: the paired ratio to the render before it.</param>
public sealed record ProbeResult(string Name, double Ns, double Bytes, double? DeltaNs, double? Ratio);

/// <summary>
/// The measurements behind the findings in docs/performance.md, run apart from the goals (<c>--only probes</c>): what
/// undoing each version of Stripe's history costs each object (the render at a version paired with the render at the
/// version after it), and what the steps of the JSON forms cost one by one, replayed with System.Text.Json's public API
/// exactly as the writers' slow path runs them (serialize the value, parse it, run the code, write the node).
/// </summary>
public static class Probes
{
    public static IReadOnlyList<ProbeResult> Run(bool quick)
    {
        var settings = quick ? PairedRatios.SettingsFor(quick: true) : PairedRatios.SettingsFor(quick: false) with { MaxPairs = 150, Budget = TimeSpan.FromSeconds(5) };
        var results = new List<ProbeResult>();
        void Add(ProbeResult result)
        {
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {result.Name}: {result.Ns:0} ns, {result.Bytes:0} B{(result.DeltaNs is { } d ? $", +{d:0} ns ({result.Ratio:0.00}× the render before)" : "")}"));
        }

        // Each version of Stripe's history, undone on each object: the render at the version against the render at the next one.
        var versions = Stripe.StripeHistory.Default.Versions;
        foreach (string name in StripePayload.Objects)
        {
            var payload = StripePayload.Of(name);
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            for (int index = versions.Count - 2; index >= 0; index--)
            {
                var before = versions[index + 1];
                var at = versions[index];
                if (payload.RenderText(StripePayload.Renderer, at) == payload.RenderText(StripePayload.Renderer, before))
                {
                    continue;
                }

                var result = PairedRatios.Measure(
                    new PairedCase($"{name}: undo {before}", $"at {at}", $"at {before}", Render(payload, buffer, before), Render(payload, buffer, at), null, GoalDirection.None, () => buffer.WrittenCount),
                    settings);
                Add(new ProbeResult($"Stripe {name}: undoing {before} (render at {at} vs at {before})", result.CaseMedianNs, result.CaseAllocatedBytes,
                    result.CaseMedianNs - (result.CaseMedianNs / result.MedianRatio), result.MedianRatio));
            }
        }

        // The JSON forms' steps, one by one, on Stripe's charge's payment_method_details (what JSON code on that field would pay).
        var charge = Stripe.StripeCorpus.Charge();
        var options = Stripe.StripeCorpus.JsonOptions;
        var details = Stripe.StripeJsonContext.Default.PaymentMethodDetails;
        var capture = new ArrayBufferWriter<byte>(4096);
        var captureWriter = new Utf8JsonWriter(capture);
        var output = new ArrayBufferWriter<byte>(4096);
        var outputWriter = new Utf8JsonWriter(output);
        void Serialize()
        {
            capture.ResetWrittenCount();
            captureWriter.Reset(capture);
            JsonSerializer.Serialize(captureWriter, charge.PaymentMethodDetails, details);
            captureWriter.Flush();
        }

        Add(Time("payment_method_details: serialized by its contract into a reused buffer (what a capture writes)", Serialize, settings));
        Add(Time("... and parsed into a JsonNode (JsonNode.Parse)", () =>
        {
            Serialize();
            _ = JsonNode.Parse(capture.WrittenSpan);
        }, settings));
        Add(Time("... and written back as it is, no code run (a node parsed and never read writes from its bytes)", () =>
        {
            Serialize();
            var node = JsonNode.Parse(capture.WrittenSpan);
            output.ResetWrittenCount();
            outputWriter.Reset(output);
            node!.WriteTo(outputWriter, options);
            outputWriter.Flush();
        }, settings));
        // The sample's page of 100 events (what GET /v1/events?limit=100 renders), with the options ASP.NET Core gives the
        // app (JsonSerializerDefaults.Web: NumberHandling = AllowReadingFromString, a flag that only affects reading), and
        // with the same options but NumberHandling = Strict: the generated writers write properties directly only in the second.
        var page = SamplePage();
        foreach (var numbers in new[] { System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString, System.Text.Json.Serialization.JsonNumberHandling.Strict })
        {
            var webOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = numbers };
            var renderer = new ApiRenderer(Payments.Api.PaymentsApiHistory.Default, webOptions);
            var pageBuffer = new ArrayBufferWriter<byte>(64 * 1024);
            var result = PairedRatios.Measure(
                new PairedCase("sample page", "at 2011-08-01", "at the latest",
                    () =>
                    {
                        pageBuffer.ResetWrittenCount();
                        renderer.Render(pageBuffer, page, Payments.Api.PaymentsApiHistory.Default.Latest);
                    },
                    () =>
                    {
                        pageBuffer.ResetWrittenCount();
                        renderer.Render(pageBuffer, page, ApiVersion.Parse("2011-08-01"));
                    },
                    null,
                    GoalDirection.None,
                    () => pageBuffer.WrittenCount),
                settings);
            Add(new ProbeResult($"sample: 100 events at 2011-08-01 vs at the latest, web options with NumberHandling = {numbers}", result.CaseMedianNs, result.CaseAllocatedBytes,
                result.CaseMedianNs - (result.CaseMedianNs / result.MedianRatio), result.MedianRatio));
        }

        // Resource B' (code on the whole resource) is written at its newest code's version, then the reference chain takes
        // its JSON the rest of the way: the chain alone on the resource's DOM, against the naive chain's hand-written steps
        // on the same DOM (both on a fresh copy each time, the copy timed alone too).
        var objectCode = JsonSerializer.SerializeToNode(Payloads.Charge(Payloads.Json.ObjectCodeCharge), Payloads.Json.ObjectCodeCharge)!.AsObject();
        var hundredBack = Payloads.VersionsBack(100);
        Add(Time("resource B' as JSON: a copy of its DOM (JsonNode.DeepClone)", () => _ = objectCode.DeepClone(), settings));
        Add(Time("... and the reference chain run on it, 100 versions back (ApiRenderer.Transform)", () => Payloads.Reference.Transform(objectCode.DeepClone(), hundredBack), settings));
        Add(Time("... and the naive chain's steps run on it instead", () =>
        {
            var copy = objectCode.DeepClone().AsObject();
            foreach (var step in History.NaiveHistory.ObjectCodeCharge)
            {
                step.Apply(copy, objectCode);
            }
        }, settings));

        // What a render at the latest version does beyond plain serialization: find the version, find the contract.
        var history = Payloads.History;
        var versionIndex = history.Versions.Select((v, i) => KeyValuePair.Create(v, i)).ToFrozenDictionary();
        var latest = history.Latest;
        Add(Time("the version's index: a FrozenDictionary<ApiVersion, int> lookup, as ApiHistory keeps it", () => _ = versionIndex[latest], settings));
        var chargeType = typeof(Charge);
        var benchmarkOptions = Payloads.Json.Options;
        Add(Time("the contract: JsonSerializerOptions.GetTypeInfo(value.GetType())", () => _ = benchmarkOptions.GetTypeInfo(chargeType), settings));
        return results;
    }

    // A page like the sample's: 100 charge events, each with its request.
    private static ApiList<Payments.Api.Event> SamplePage()
    {
        var events = Enumerable.Range(0, 100).Select(i => new Payments.Api.Event
        {
            Id = $"evt_{i:D6}",
            Type = "charge.succeeded",
            Created = 1_700_000_000 + i,
            Data = new Payments.Api.EventData
            {
                Object = new Payments.Api.Charge { Id = $"ch_{i:D6}", Amount = 1000 + i, Currency = "usd", Created = 1_700_000_000 + i, ReceiptEmail = $"buyer{i}@example.com", Source = "card_1" },
            },
            Request = new Payments.Api.EventRequest { Id = $"req_{i:D6}" },
            PendingWebhooks = 1,
        }).ToList();
        return new ApiList<Payments.Api.Event>(events, "/v1/events", hasMore: true);
    }

    private static Action Render(StripePayload payload, ArrayBufferWriter<byte> buffer, ApiVersion version) => () =>
    {
        buffer.ResetWrittenCount();
        payload.Render(buffer, version);
    };

    // One action alone: warmed up, then batches of about the harness's batch time; the median batch's time per operation.
    private static ProbeResult Time(string name, Action action, PairedRatios.Settings settings)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < settings.WarmUp)
        {
            action();
        }

        int ops = 1;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < settings.Batch; ops++)
        {
            action();
        }

        var ns = new List<double>();
        var bytes = new List<double>();
        var budget = Stopwatch.StartNew();
        for (int batch = 0; batch < settings.MaxPairs && budget.Elapsed < settings.Budget / 2; batch++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < ops; i++)
            {
                action();
            }

            ns.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / ops);
            bytes.Add((double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / ops);
        }

        return new ProbeResult(name, PairedRatios.Percentile(ns, 0.5), PairedRatios.Percentile(bytes, 0.5), null, null);
    }
}
