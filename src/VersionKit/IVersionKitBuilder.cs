using VersionKit.Pins;
using VersionKit.Webhooks;

namespace VersionKit;

/// <summary>
/// What a pin store package needs of the app's VersionKit registration (<c>services.AddVersionKit(history)</c> in
/// VersionKit.AspNetCore): where to get the stores from. Store packages extend it (<c>UseSqlitePins</c>,
/// <c>UsePostgreSqlPins</c>, <c>UseSqliteWebhooks</c>, <c>UsePostgreSqlWebhooks</c>), so that they depend on VersionKit alone.
/// </summary>
public interface IVersionKitBuilder
{
    /// <summary>Keeps account pins in the store <paramref name="factory"/> makes (once, from the app's services).</summary>
    void UsePinStore(Func<IServiceProvider, IApiVersionPinStore> factory);

    /// <summary>Keeps events, webhook endpoints and their deliveries in the store <paramref name="factory"/> makes (once, from the app's services).</summary>
    void UseWebhookStore(Func<IServiceProvider, IWebhookStore> factory);
}
