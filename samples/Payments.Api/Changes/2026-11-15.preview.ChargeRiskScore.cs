using VersionKit;

namespace Payments.Api.Changes;

/// <summary>
/// An internal change: it applies as any other (the preview's charges carry <c>risk_score</c>), but the dashboard is its
/// only reader, so the public changelog, the upgrade guides and the OpenAPI descriptions leave it out.
/// </summary>
[VersionChange("2026-11-15.preview", "Internal: charges carry `risk_score` for the dashboard's risk view; integrations do not rely on it.", Internal = true)]
[FieldAdded(typeof(Charge), "risk_score")]
public sealed class ChargeRiskScore;
