using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2014-08-04", "A charge's `card` is now `source`: charges can be paid from cards and bank accounts alike.")]
[FieldRenamed(typeof(Charge), "card", "source")]
public sealed class ChargeSource;
