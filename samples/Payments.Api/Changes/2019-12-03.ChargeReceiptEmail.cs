using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2019-12-03", "Charges have a `receipt_email`: where the receipt was sent.")]
[FieldAdded(typeof(Charge), "receipt_email")]
public sealed class ChargeReceiptEmail;
