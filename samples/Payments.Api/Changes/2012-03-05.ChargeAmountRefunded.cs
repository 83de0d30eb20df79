using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2012-03-05", "Charges have an `amount_refunded` field: how much of the charge has been refunded, in the smallest currency unit.")]
[FieldAdded(typeof(Charge), "amount_refunded")]
public sealed class ChargeAmountRefunded;
