using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Webhooks;

namespace Portfolio.Web.Areas.Backoffice.Pages.Webhooks;

/// <summary>
/// One webhook at <c>/umbraco/webhooks/{id}</c>: its settings, a new secret, delete, and its newest deliveries with every
/// attempt (status code, time taken, error) and "send again".
/// </summary>
[Authorize(Policy = BackofficePolicies.WebhooksManage)]
[RequireRecentPassword]
public sealed class DetailModel(WebhookAdministration administration) : BackofficePageModel
{
    public WebhookOverview? Overview { get; private set; }

    public WebhookFieldsView Fields { get; private set; } = new(null, null, [], true, new Dictionary<string, string>());

    /// <summary>Set right after a new secret was made: the one time it is shown.</summary>
    public string? NewSecret { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    [BindProperty]
    public bool ConfirmDelete { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await ShowAsync(id, null, cancellationToken);

    public async Task<IActionResult> OnPostSaveAsync(Guid id, string? name, string? url, string[]? events, bool enabled, CancellationToken cancellationToken)
    {
        var settings = new WebhookSettings(name, url, events ?? [], enabled);
        var errors = administration.Validate(settings);
        if (errors.Count > 0)
        {
            foreach (var (field, error) in errors)
            {
                ModelState.AddModelError(field, error);
            }

            return await ShowAsync(id, new WebhookFieldsView(name, url, events ?? [], enabled, errors), cancellationToken);
        }

        return await administration.UpdateAsync(id, settings, cancellationToken) ? RedirectToPage(new { id, done = "saved" }) : NotFound();
    }

    public async Task<IActionResult> OnPostSecretAsync(Guid id, CancellationToken cancellationToken)
    {
        NewSecret = await administration.RenewSecretAsync(id, cancellationToken);
        return NewSecret is null ? NotFound() : await ShowAsync(id, null, cancellationToken);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!ConfirmDelete)
        {
            ModelState.AddModelError(nameof(ConfirmDelete), "Tick the box to confirm that the webhook and its deliveries go.");
            return await ShowAsync(id, null, cancellationToken);
        }

        return await administration.DeleteAsync(id, cancellationToken) ? RedirectToPage("/Webhooks/Index", new { done = "deleted" }) : NotFound();
    }

    public async Task<IActionResult> OnPostSendAgainAsync(Guid id, long delivery, CancellationToken cancellationToken) =>
        RedirectToPage(new { id, done = await administration.SendAgainAsync(id, delivery, cancellationToken) ? "resent" : "not-resent" });

    private async Task<IActionResult> ShowAsync(Guid id, WebhookFieldsView? fields, CancellationToken cancellationToken)
    {
        Overview = await administration.GetAsync(id, cancellationToken);
        if (Overview is null)
        {
            return NotFound();
        }

        Fields = fields ?? WebhookFieldsView.Of(Overview.Webhook);
        SetTitle(Overview.Webhook.Name);
        return Page();
    }
}
