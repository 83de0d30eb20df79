using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VersionKit.AspNetCore;
using VersionKit.Pins;

namespace VersionKit.PostgreSql;

/// <summary>Keeps VersionKit's pins in PostgreSQL.</summary>
public static class PostgreSqlVersionKitBuilderExtensions
{
    /// <summary>
    /// Keeps pins in the PostgreSQL database of <paramref name="connectionString"/>
    /// (<c>Host=db;Database=app;Username=app;Password=...</c>), its tables created and migrated on first use. Every machine
    /// of the API that uses the same database sees the same pins.
    /// </summary>
    public static VersionKitBuilder UsePostgreSqlStore(this VersionKitBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        // A factory, not an instance, so that the container disposes the store and its connection pool with the app.
        builder.Services.Replace(ServiceDescriptor.Singleton<IApiVersionPinStore>(_ => new PostgreSqlPinStore(connectionString)));
        return builder;
    }
}
