using System.Text.Json.Serialization;
using VersionKit;

namespace Payments.Api;

/// <summary>
/// The payments API's history: the generator fills in every version and change found in Changes/. Its releases are
/// Stripe's since acacia: a named major that may break, a monthly release that only adds, a preview served only to
/// callers that name it. The dated versions before acacia, which only changes name, are majors of their own.
/// </summary>
[ApiHistory("2011-08-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, BreakingChangesOnlyInMajors = true)]
[ApiRelease("2024-09-30.acacia", ApiReleaseKind.Major, Notes = "The first named release: from here on, only a major release breaks.")]
[ApiRelease("2024-10-28.acacia", ApiReleaseKind.Monthly, Notes = "Nothing changes for integrations: responses are as in 2024-09-30.acacia.")]
[ApiRelease("2026-11-15.preview", ApiReleaseKind.Preview, Notes = "What the next major release may bring, for callers that ask for it by name.")]
public partial class PaymentsApiHistory;
