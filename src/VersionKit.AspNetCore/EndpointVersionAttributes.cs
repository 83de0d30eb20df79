namespace VersionKit.AspNetCore;

/// <summary>
/// The version that introduced an endpoint: callers at older versions get <c>404</c> with the code
/// <c>endpoint_not_in_version</c> and <c>introduced_in</c>. On a controller or an action (the action's wins); minimal APIs
/// and groups say <c>.IntroducedIn("...")</c>. The version must be one of the history's, checked as the app starts.
/// </summary>
/// <param name="version">A version of the history (<c>2016-07-06</c>; a bare date finds its named release).</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class IntroducedInAttribute(string version) : Attribute
{
    /// <summary>The version, as written.</summary>
    public string Version { get; } = version;
}

/// <summary>
/// The version that removed an endpoint: callers at it or newer versions get <c>410</c> with the code
/// <c>endpoint_not_in_version</c> and <c>removed_in</c>. On a controller or an action (the action's wins); minimal APIs and
/// groups say <c>.RemovedIn("...")</c>. The version must be one of the history's, checked as the app starts.
/// </summary>
/// <param name="version">A version of the history (<c>2017-04-06</c>; a bare date finds its named release).</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RemovedInAttribute(string version) : Attribute
{
    /// <summary>The version, as written.</summary>
    public string Version { get; } = version;
}
