using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

namespace Portfolio.Web.Areas.Backoffice.Pages.Users;

/// <summary>Creates a user with a role and shows the link with which they choose their own password.</summary>
[Authorize(Policy = BackofficePolicies.UsersManage)]
[RequireRecentPassword]
public sealed class InviteModel(BackofficeUserAdministration administration) : BackofficePageModel
{
    [BindProperty, Required(ErrorMessage = "Enter the e-mail address."), MaxLength(256), Display(Name = "E-mail address")]
    public string Email { get; set; } = "";

    [BindProperty, MaxLength(100), Display(Name = "Name")]
    public string? DisplayName { get; set; }

    [BindProperty, Required(ErrorMessage = "Choose a role.")]
    public string Role { get; set; } = BackofficeRoles.Writer;

    /// <summary>Set after a successful invitation.</summary>
    public string? InvitationLink { get; private set; }

    public void OnGet() => SetTitle("Invite a user");

    public async Task<IActionResult> OnPostAsync()
    {
        SetTitle("Invite a user");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var created = await administration.CreateAsync(Email, DisplayName, Role);
        if (!created.Succeeded)
        {
            ModelState.AddModelError(nameof(Email), created.Error!);
            return Page();
        }

        var token = await administration.IssueInvitationAsync(created.User!.Id);
        InvitationLink = await UsersLinks.SetPasswordAsync(Url, Request, created.User.Id, token!);
        return Page();
    }
}

internal static class UsersLinks
{
    /// <summary>
    /// The set-password link an administrator passes on, from the site's public address like every other link the
    /// site hands out (<see cref="SiteUrls"/>), not from the Host header of the administrator's request.
    /// </summary>
    public static async Task<string> SetPasswordAsync(IUrlHelper url, HttpRequest request, string userId, string token)
    {
        var services = request.HttpContext.RequestServices;
        var snapshot = await services.GetRequiredService<PublishedContentCache>().GetAsync(request.HttpContext.RequestAborted);
        var path = url.Page("/SetPassword", pageHandler: null, values: new { area = BackofficeRoutes.Area, userId, token })!;
        // Url.Page includes the request's path base; the public address stands for the site's root.
        var sitePath = request.PathBase.HasValue && path.StartsWith(request.PathBase.Value!, StringComparison.Ordinal) ? path[request.PathBase.Value!.Length..] : path;
        return services.GetRequiredService<SiteUrls>().Absolute(request, snapshot.Singleton<SiteSettings>(), sitePath);
    }
}
