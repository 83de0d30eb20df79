using VersionKit;
using VersionKit.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps VersionKit's pins in PostgreSQL.</summary>
public static class PostgreSqlPinsBuilderExtensions
{
    /// <summary>
    /// Keeps account pins in the PostgreSQL database of <paramref name="connectionString"/>
    /// (<c>Host=db;Database=app;Username=app;Password=...</c>), its tables created and migrated on first use. Every machine
    /// of the API that uses the same database sees the same pins.
    /// </summary>
    public static TBuilder UsePostgreSqlPins<TBuilder>(this TBuilder builder, string connectionString)
        where TBuilder : IVersionKitBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.UsePinStore(_ => new PostgreSqlPinStore(connectionString));
        return builder;
    }
}
