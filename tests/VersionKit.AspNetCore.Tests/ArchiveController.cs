using Microsoft.AspNetCore.Mvc;

namespace VersionKit.AspNetCore.Tests;

/// <summary>Versions on a controller and on one of its actions, for <see cref="EndpointVersionTests"/>.</summary>
[ApiController]
[Route("mvc/archive")]
[IntroducedIn("2021-01-01")]
public sealed class ArchiveController : ControllerBase
{
    [HttpGet]
    public Note List() => new() { Id = "note_archived" };

    [HttpGet("old")]
    [RemovedIn("2022-01-01")]
    public Note Old() => new() { Id = "note_old" };
}
