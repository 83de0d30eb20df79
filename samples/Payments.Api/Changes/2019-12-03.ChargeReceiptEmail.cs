using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2019-12-03", "Charges have a `receipt_email`: where the receipt was sent, which a charge can be created with.")]
[FieldAdded(typeof(Charge), "receipt_email")]
[RequestFieldAdded(typeof(CreateCharge), "receipt_email")]
public sealed class ChargeReceiptEmail;
