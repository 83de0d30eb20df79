using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2013-08-12", "Charges have a `status`: `succeeded`, `pending` or `failed`.")]
[FieldAdded(typeof(Charge), "status")]
public sealed class ChargeStatus;
