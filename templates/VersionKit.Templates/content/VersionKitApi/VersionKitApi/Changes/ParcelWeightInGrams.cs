using VersionKit;

namespace VersionKitApi.Changes;

/// <summary>
/// A backwards-incompatible change, dated, written as if it were the newest: what happened, and how older versions get
/// what they had. Add the next one beside it, as a class of its own with a later date.
/// </summary>
[VersionChange("2024-06-01", "Parcels give their weight in grams, `weight_grams`, instead of kilograms, `weight_kg`.")]
[FieldAdded(typeof(Parcel), "weight_grams")]
[FieldRemoved(typeof(Parcel), "weight_kg", ValueFrom = nameof(WeightKg))]
public sealed class ParcelWeightInGrams
{
    // Callers on 2024-01-01 get `weight_kg` back, computed from the C# object the endpoint returned.
    public static decimal WeightKg(Parcel parcel) => parcel.WeightGrams / 1000m;
}
