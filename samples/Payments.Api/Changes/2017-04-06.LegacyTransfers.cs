using VersionKit;

namespace Payments.Api.Changes;

/// <summary>
/// Before this version a transfer paid out to one of the platform's bank accounts and settled later (status
/// <c>pending</c>); since, it moves money to a connected account and is <c>paid</c> at once. The two paths differ in
/// what they do, not in how their result looks, so the change has side effects: the transfer endpoint asks
/// <c>CallerPredates&lt;LegacyTransfers&gt;()</c>.
/// </summary>
[VersionChange("2017-04-06", "Transfers move money to a connected account (`acct_...`) and are `paid` at once. Older versions create legacy transfers to a bank account (`ba_...`), which start `pending`.", HasSideEffects = true)]
public sealed class LegacyTransfers;
