using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Webhooks;

namespace Portfolio.Web.Areas.Backoffice.Pages.Webhooks;

/// <summary>The webhooks at <c>/umbraco/webhooks</c>, and the form that adds one (its secret is shown once, in the answer).</summary>
[Authorize(Policy = BackofficePolicies.WebhooksManage)]
[RequireRecentPassword]
public sealed class IndexModel(WebhookAdministration administration) : BackofficePageModel
{
    public IReadOnlyList<(Webhook Webhook, int Dead, DateTime? LastDeliveredUtc)> Webhooks { get; private set; } = [];

    public WebhookFieldsView Fields { get; private set; } = new(null, null, [], true, new Dictionary<string, string>());

    /// <summary>Set right after a webhook was added: the one time its secret is shown.</summary>
    public (Webhook Webhook, string Secret)? Created { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SetTitle("Webhooks");
        Webhooks = await administration.ListAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string? name, string? url, string[]? events, bool enabled, CancellationToken cancellationToken)
    {
        SetTitle("Webhooks");
        var settings = new WebhookSettings(name, url, events ?? [], enabled);
        var errors = administration.Validate(settings);
        if (errors.Count > 0)
        {
            foreach (var (field, error) in errors)
            {
                ModelState.AddModelError(field, error);
            }

            Fields = new WebhookFieldsView(name, url, events ?? [], enabled, errors);
            Webhooks = await administration.ListAsync(cancellationToken);
            return Page();
        }

        Created = await administration.CreateAsync(settings, cancellationToken);
        Webhooks = await administration.ListAsync(cancellationToken);
        return Page();
    }
}
