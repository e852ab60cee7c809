using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages;

/// <summary>First run: creates the first administrator, with the one-time token from the log.</summary>
[AllowAnonymous]
[AllowWithoutTwoFactor]
public sealed class SetupModel(BackofficeSetup setup) : BackofficePageModel
{
    [BindProperty, Required(ErrorMessage = "Enter the setup token from the log."), MaxLength(64), Display(Name = "Setup token")]
    public string Token { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Enter your e-mail address."), MaxLength(256), Display(Name = "E-mail address")]
    public string Email { get; set; } = "";

    [BindProperty, MaxLength(100), Display(Name = "Your name")]
    public string? DisplayName { get; set; }

    [BindProperty, Required(ErrorMessage = "Choose a password."), MaxLength(CommonPasswordValidator.MaxLength), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        SetTitle("Set up the backoffice");
        return await setup.IsPendingAsync(cancellationToken) ? Page() : LocalRedirect(BackofficeRoutes.Login);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        SetTitle("Set up the backoffice");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await setup.CompleteAsync(Token, Email, DisplayName, Password, cancellationToken);
        if (result.Succeeded || result.Done)
        {
            return LocalRedirect($"{BackofficeRoutes.Login}?status=setup-done");
        }

        if (result.TokenRefused)
        {
            ModelState.AddModelError(nameof(Token), "This setup token is not valid. Copy the token from the latest start-up message in the log.");
        }
        else
        {
            AddErrors(result.Identity, nameof(Password));
        }

        Password = "";
        return Page();
    }
}
