using System.Text.Json.Serialization;

namespace VersionKit.Benchmarks.History;

/// <summary>The synthetic history the benchmarks render through: 501 versions; its changes are in SyntheticHistory.cs.</summary>
[ApiHistory("2011-08-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial class BenchmarkHistory;
