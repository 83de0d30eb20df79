using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using VersionKit.Benchmarks.History;
using VersionKit.Pins;

namespace VersionKit.Benchmarks;

/// <summary>
/// What an account's pin costs a request once it is cached (issue 3): a read of <see cref="ApiVersionPins"/> against the
/// same baseline as the render benchmarks, writing one charge. The store behind it is never reached while the pin is fresh.
/// </summary>
public class PinCacheBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private Charge _charge = null!;
    private ApiVersionPins _pins = null!;

    [GlobalSetup]
    public void Setup()
    {
        _charge = Payloads.Charge(Payloads.Json.Charge);
        _pins = new ApiVersionPins(Payloads.Renderer.History, new InMemoryPinStore(), TimeProvider.System, new PinOptions { CacheDuration = TimeSpan.FromHours(1) });
        _pins.GetOrPinAsync("acct_1").GetAwaiter().GetResult();
    }

    /// <summary>The render benchmarks' limit: one charge, source-generated System.Text.Json.</summary>
    [Benchmark(Baseline = true)]
    public void Serialize()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _charge, Payloads.Json.Charge);
    }

    /// <summary>The pin of an account read on an earlier request.</summary>
    [Benchmark]
    public void CachedPin() => Version = _pins.GetOrPinAsync("acct_1").GetAwaiter().GetResult().Version;

    /// <summary>The last pin read, so that the read is not optimized away.</summary>
    public ApiVersion Version { get; private set; }
}
