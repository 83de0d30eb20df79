using System.Text.Json.Serialization;
using VersionKit;

namespace Payments.Api;

/// <summary>The payments API's history: the generator fills in every version and change found in Changes/.</summary>
[ApiHistory("2011-08-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial class PaymentsApiHistory;
