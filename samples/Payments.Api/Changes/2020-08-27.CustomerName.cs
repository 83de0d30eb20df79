using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2020-08-27", "Customers have a `name`.")]
[FieldAdded(typeof(Customer), "name")]
public sealed class CustomerName;
