using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2016-07-06", "Transfers no longer carry a `type`: the `destination` says where the money goes.")]
[FieldRemoved(typeof(Transfer), "type", Value = "bank_account")]
[RequestFieldRemoved(typeof(CreateTransfer), "type")]
public sealed class TransferType;
