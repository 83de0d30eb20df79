using Microsoft.AspNetCore.Mvc;

namespace VersionKit.AspNetCore.Tests;

/// <summary>The minimal API endpoints of <see cref="VersioningTests"/>, as an MVC controller.</summary>
[ApiController]
[Route("mvc")]
public sealed class NotesController : ControllerBase
{
    [HttpGet("plain")]
    public Note Plain() => new();

    [HttpGet("ok")]
    public IActionResult OkNote() => Ok(new Note());

    [HttpGet("json")]
    public IActionResult Created201() => StatusCode(201, new Note());

    [HttpGet("text")]
    public string Text() => "just text";

    [HttpGet("empty")]
    public IActionResult NothingToSay() => NoContent();

    [HttpGet("boom")]
    public Note Boom() => new() { Author = "boom" };

    [HttpGet("drafts")]
    public object Drafts() => new { drafts = HttpContext.CallerPredates<DraftsFirst>() ? "no" : "yes", version = HttpContext.GetApiVersion().ToString() };

    [HttpPost("notes")]
    public Note Create([FromBody] CreateNote note) => new() { Body = note.Body ?? "(none)" };

    [HttpPost("shipments")]
    public object Ship([FromBody] CreateShipment shipment) => ShipmentEcho.Of(shipment);
}

/// <summary>What a handler saw of a shipment request, in the current shape.</summary>
public static class ShipmentEcho
{
    public static object Of(CreateShipment shipment) => new
    {
        to = shipment.To?.PostalCode,
        stops = shipment.Stops?.Select(s => s.PostalCode).ToArray(),
        metadata = shipment.Metadata,
        weight = shipment.WeightGrams,
        fragile = shipment.Fragile,
        reference = shipment.CustomerReference,
    };
}
