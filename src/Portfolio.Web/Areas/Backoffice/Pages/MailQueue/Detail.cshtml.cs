using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Email;

namespace Portfolio.Web.Areas.Backoffice.Pages.MailQueue;

/// <summary>One mail at <c>/umbraco/mail/{id}</c>: its state, the text, every delivery attempt, and "retry now".</summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class DetailModel(OwnerMailQueue queue) : BackofficePageModel
{
    public EmailOutboxMessage? Mail { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public MailQueueState State => OwnerMailQueue.StateOf(Mail!.Status, Mail.Attempts);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Mail = await queue.GetAsync(id, cancellationToken);
        if (Mail is null)
        {
            return NotFound();
        }

        SetTitle(Mail.Subject);
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken cancellationToken) =>
        RedirectToPage(new { id, status = await queue.RetryNowAsync(id, cancellationToken) ? "retried" : "not-retried" });
}
