namespace Portfolio.Web.Areas.Backoffice.Pages.Bookings;

/// <summary>The model of <c>_TimeZoneChoice</c>: the zone, when (for offsets), and the query values to keep.</summary>
public sealed record TimeZoneForm(OwnerTimeZone Zone, DateTime AtUtc, IReadOnlyList<(string Name, string Value)> Keep);
