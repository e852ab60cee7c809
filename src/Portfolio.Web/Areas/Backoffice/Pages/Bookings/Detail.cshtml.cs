using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;

namespace Portfolio.Web.Areas.Backoffice.Pages.Bookings;

/// <summary>
/// One booking at <c>/umbraco/bookings/{id}</c>: cancel it (the client gets a CANCEL invitation), move it (the client
/// gets the updated invitation), ask the client to choose a new time (a mail with a fresh manage link), and after the
/// meeting mark how it went, with a private note only the backoffice shows. All of it is the bookings' capability
/// (<see cref="BackofficePolicies.Owner"/>: administrators and owners), so it lives on this page's handlers.
/// </summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class DetailModel(OwnerBookings bookings, PublishedContentCache content, SiteUrls urls, TimeProvider clock) : BackofficePageModel
{
    public ConsultationBooking? Booking { get; private set; }

    public string ExpertName { get; private set; } = "";

    public DateTime Now { get; private set; }

    public BackofficeTimeZone Zone { get; private set; } = BackofficeTimeZone.Utc;

    /// <summary>The free times the booking can move to, by day in the owner's zone.</summary>
    public IReadOnlyList<IGrouping<DateOnly, Slot>> MoveSlots { get; private set; } = [];

    [BindProperty]
    public bool ConfirmCancel { get; set; }

    /// <summary>The new start the owner chose, as its UTC value (<see cref="SlotValue"/>).</summary>
    [BindProperty]
    public string? NewStart { get; set; }

    /// <summary>The owner's words to the client in the mail that asks for a new time (the client reads them).</summary>
    [BindProperty]
    public string? MessageToClient { get; set; }

    [BindProperty]
    public BookingOutcome Outcome { get; set; }

    [BindProperty]
    public string? OwnerNote { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public bool CanCancel => Booking is { Status: BookingStatus.Confirmed } booking && booking.EndUtc > Now;

    public bool CanMove => Booking is { Status: BookingStatus.Confirmed } booking && booking.StartUtc > Now;

    /// <summary>Only while the client may still move it online themselves.</summary>
    public bool CanAskForNewTime { get; private set; }

    public bool CanMarkOutcome => Booking is { Status: BookingStatus.Confirmed } booking && booking.EndUtc <= Now;

    public static string SlotValue(DateTime startUtc) => startUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Describe(BookingOutcome outcome) => outcome switch
    {
        BookingOutcome.Completed => "Took place",
        BookingOutcome.NoShow => "Client did not come",
        _ => "Not marked",
    };

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!ConfirmCancel)
        {
            if (!await LoadAsync(id, cancellationToken))
            {
                return NotFound();
            }

            ModelState.AddModelError(nameof(ConfirmCancel), "Tick the box to confirm that this booking should be cancelled.");
            return Page();
        }

        var result = await bookings.CancelAsync(id, cancellationToken);
        if (result.Succeeded)
        {
            return RedirectToPage(new { id, status = "cancelled" });
        }

        return await ShowErrorAsync(id, "", result.Error!, cancellationToken);
    }

    public async Task<IActionResult> OnPostMoveAsync(Guid id, CancellationToken cancellationToken)
    {
        var start = SlotPicker.ParseStart(NewStart);
        if (start is null)
        {
            return await ShowErrorAsync(id, nameof(NewStart), "Choose the new time.", cancellationToken);
        }

        var result = await bookings.MoveAsync(id, start, cancellationToken);
        return result.Succeeded
            ? RedirectToPage(new { id, status = "moved" })
            : await ShowErrorAsync(id, nameof(NewStart), result.Error!, cancellationToken);
    }

    public async Task<IActionResult> OnPostNewTimeAsync(Guid id, CancellationToken cancellationToken)
    {
        var snapshot = await content.GetAsync(cancellationToken);
        var result = await bookings.RequestNewTimeAsync(id, urls.BaseUrl(Request, snapshot.Singleton<SiteSettings>()), MessageToClient, cancellationToken);
        return result.Succeeded
            ? RedirectToPage(new { id, status = "new-time-requested" })
            : await ShowErrorAsync(id, nameof(MessageToClient), result.Error!, cancellationToken);
    }

    public async Task<IActionResult> OnPostOutcomeAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await bookings.SaveOutcomeAsync(id, Outcome, OwnerNote, cancellationToken);
        return result.Succeeded
            ? RedirectToPage(new { id, status = "outcome-saved" })
            : await ShowErrorAsync(id, nameof(OwnerNote), result.Error!, cancellationToken);
    }

    private async Task<IActionResult> ShowErrorAsync(Guid id, string field, string error, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken, keepForm: true))
        {
            return NotFound();
        }

        ModelState.AddModelError(field, error);
        return Page();
    }

    /// <summary>The booking as stored; <paramref name="keepForm"/>: what the owner typed stays in the form after an error.</summary>
    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken, bool keepForm = false)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        Zone = BackofficeTimeZone.Of(HttpContext);
        var found = await bookings.GetAsync(id, cancellationToken);
        if (found is null)
        {
            return false;
        }

        (Booking, ExpertName) = found.Value;
        if (!keepForm)
        {
            Outcome = Booking.Outcome;
            OwnerNote = Booking.OwnerNote;
        }

        CanAskForNewTime = Booking.Status == BookingStatus.Confirmed && Booking.StartUtc - Now >= bookings.ChangeMinimumNotice;
        if (CanMove)
        {
            MoveSlots = (await bookings.MoveSlotsAsync(Booking, cancellationToken))
                .GroupBy(slot => DateOnly.FromDateTime(Zone.ToLocal(slot.StartUtc)))
                .ToList();
        }

        SetTitle($"{Booking.Name} with {ExpertName}");
        return true;
    }
}
