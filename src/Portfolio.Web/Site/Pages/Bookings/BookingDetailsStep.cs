using Portfolio.Web.Booking;
using Portfolio.Web.Site.Pages.Shared;
using Portfolio.Web.Site.Pages.Team;

namespace Portfolio.Web.Site.Pages.Bookings;

/// <summary>
/// The booking page's last step (<c>_BookingDetails</c>): the chosen time repeated, the visitor's details and the
/// booking type's questions, posted with antiforgery to <see cref="Action"/>. When the server turned the time down
/// (taken meanwhile, not offered), <see cref="Alternatives"/> offers the other free times as radio buttons inside the
/// same form, so the details typed so far are kept without script.
/// </summary>
public sealed record BookingDetailsStep
{
    public required string Action { get; init; }
    /// <summary>The hidden fields the post carries (tz, type, service); the chosen start is added unless alternatives are shown.</summary>
    public required IReadOnlyDictionary<string, string?> Hidden { get; init; }
    /// <summary>The chosen time's UTC start (the form value), or null when the visitor must choose again.</summary>
    public string? Start { get; init; }
    /// <summary>"Wednesday 9 December 2026, 09:30–10:15".</summary>
    public string? ChosenText { get; init; }
    public required string ZoneText { get; init; }
    public required string ChangeUrl { get; init; }
    public SlotPicker? Alternatives { get; init; }
    public required IReadOnlyList<FormField> Fields { get; init; }
    public required IReadOnlyList<QuestionField> Questions { get; init; }
    public required string ButtonText { get; init; }
    public required string Privacy { get; init; }
}
