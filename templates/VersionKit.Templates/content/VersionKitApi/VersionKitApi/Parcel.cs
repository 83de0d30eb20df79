using VersionKit;

namespace VersionKitApi;

/// <summary>
/// A resource, written for the current version only. Its JSON carries an <c>object</c> field, as Stripe's does: that is
/// how VersionKit finds it anywhere in a response.
/// </summary>
[ApiResource("parcel")]
public sealed class Parcel
{
    public required string Id { get; init; }

    public string Object => "parcel";

    public required string Recipient { get; init; }

    public required int WeightGrams { get; init; }
}
