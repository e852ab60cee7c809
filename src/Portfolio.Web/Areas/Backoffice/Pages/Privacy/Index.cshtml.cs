using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

using Portfolio.Web.Privacy;
namespace Portfolio.Web.Areas.Backoffice.Pages.Privacy;

/// <summary>
/// "Erase everything about this e-mail address" at <c>/umbraco/privacy</c>: look up what is stored, see it listed,
/// confirm, erase. The address travels only in POST bodies, never in a URL (URLs end up in logs).
/// </summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class IndexModel(PersonalDataEraser eraser) : BackofficePageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter the e-mail address whose data should be erased.")]
    [EmailAddress(ErrorMessage = "Enter an e-mail address, e.g. name@example.com.")]
    [StringLength(254)]
    [Display(Name = "E-mail address")]
    public string Email { get; set; } = "";

    [BindProperty]
    public bool ConfirmErase { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Messages { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Bookings { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Mails { get; set; }

    /// <summary>What is stored about <see cref="Email"/>, once looked up.</summary>
    public PersonalDataFound? Found { get; private set; }

    public void OnGet() => SetTitle("Erase a person's data");

    public async Task<IActionResult> OnPostFindAsync(CancellationToken cancellationToken)
    {
        SetTitle("Erase a person's data");
        ModelState.Remove(nameof(ConfirmErase));
        if (ModelState.IsValid)
        {
            Found = await eraser.FindAsync(Email, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostEraseAsync(CancellationToken cancellationToken)
    {
        SetTitle("Erase a person's data");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!ConfirmErase)
        {
            Found = await eraser.FindAsync(Email, cancellationToken);
            ModelState.AddModelError(nameof(ConfirmErase), "Tick the box to confirm that everything listed should be erased.");
            return Page();
        }

        var removed = await eraser.EraseAsync(Email, cancellationToken);
        return RedirectToPage(new { status = "erased", messages = removed.Messages, bookings = removed.Bookings, mails = removed.Mails });
    }
}
