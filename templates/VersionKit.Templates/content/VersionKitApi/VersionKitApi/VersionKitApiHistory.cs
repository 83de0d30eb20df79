using System.Text.Json.Serialization;
using VersionKit;

namespace VersionKitApi;

/// <summary>
/// The API's history: its first version, declared once. The generator completes the class with every version and change
/// it finds (<c>VersionKitApiHistory.Default</c>).
/// </summary>
[ApiHistory("2024-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial class VersionKitApiHistory;
