using System.Text.Json.Serialization;

namespace VersionKit.Stripe;

/// <summary>
/// Real Stripe history over real Stripe objects: the changes in Changes/ are entries of Stripe's public API changelog
/// (docs.stripe.com/changelog), each dated with Stripe's own version, applied to the resources of Resources/. The oldest
/// version, 2014-05-19, is a real Stripe version older than every change here.
/// </summary>
[ApiHistory("2014-05-19", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial class StripeHistory;
