using VersionKit;
using VersionKit.Pins;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps VersionKit's pins in memory.</summary>
public static class InMemoryPinsBuilderExtensions
{
    /// <summary>Keeps account pins in memory (tests, demos): they are lost when the process ends, and no two processes share them.</summary>
    public static TBuilder UseInMemoryPins<TBuilder>(this TBuilder builder)
        where TBuilder : IVersionKitBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UsePinStore(static _ => new InMemoryPinStore());
        return builder;
    }
}
