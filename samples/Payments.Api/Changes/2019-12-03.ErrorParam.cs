using VersionKit;

namespace Payments.Api.Changes;

[VersionChange("2019-12-03", "Errors name the request parameter they are about in `param`; older versions call it `field`.")]
[FieldRenamed(typeof(ApiError), "field", "param")]
public sealed class ErrorParam;
