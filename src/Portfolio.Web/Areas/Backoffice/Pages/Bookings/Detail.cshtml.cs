using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;

namespace Portfolio.Web.Areas.Backoffice.Pages.Bookings;

/// <summary>One booking at <c>/umbraco/bookings/{id}</c>, with cancel (the client gets a CANCEL invitation).</summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class DetailModel(OwnerBookings bookings, TimeProvider clock) : BackofficePageModel
{
    public ConsultationBooking? Booking { get; private set; }

    public string ExpertName { get; private set; } = "";

    public DateTime Now { get; private set; }

    [BindProperty]
    public bool ConfirmCancel { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public bool CanCancel => Booking is { Status: BookingStatus.Confirmed } booking && booking.EndUtc > Now;

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

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        ModelState.AddModelError("", result.Error!);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        var found = await bookings.GetAsync(id, cancellationToken);
        if (found is null)
        {
            return false;
        }

        (Booking, ExpertName) = found.Value;
        SetTitle($"{Booking.Name} with {ExpertName}");
        return true;
    }
}
