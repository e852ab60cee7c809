using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Contact;

namespace Portfolio.Web.Areas.Backoffice.Pages.Messages;

/// <summary>One message at <c>/umbraco/messages/{id}</c>: read it (which marks it read), reply, mark, "not spam", delete.</summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class DetailModel(OwnerInbox inbox) : BackofficePageModel
{
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["handled"] = "Marked as handled.",
        ["new"] = "Marked as new.",
        ["read"] = "Marked as read.",
        ["not-spam"] = "Moved to New: this message is no longer held as spam.",
    };

    public ContactMessage? Message { get; private set; }

    [BindProperty]
    public bool ConfirmDelete { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public string? StatusMessage => Status is not null && Messages.TryGetValue(Status, out var text) ? text : null;

    public string ReplyLink => OwnerInbox.ReplyLink(Message!);

    /// <summary>The tab this message is listed under, for the way back.</summary>
    public string TabKey => IndexModel.Tabs.Single(tab => tab.Status == Message!.Status).Key;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        Message = await inbox.OpenAsync(id, cancellationToken);
        if (Message is null)
        {
            return NotFound();
        }

        SetTitle(Message.Subject);
        return Page();
    }

    public Task<IActionResult> OnPostHandledAsync(Guid id, CancellationToken cancellationToken) =>
        MarkAsync(id, ContactMessageStatus.Handled, "handled", cancellationToken);

    public Task<IActionResult> OnPostNewAsync(Guid id, CancellationToken cancellationToken) =>
        MarkAsync(id, ContactMessageStatus.New, "new", cancellationToken);

    public Task<IActionResult> OnPostReadAsync(Guid id, CancellationToken cancellationToken) =>
        MarkAsync(id, ContactMessageStatus.Read, "read", cancellationToken);

    public async Task<IActionResult> OnPostNotSpamAsync(Guid id, CancellationToken cancellationToken) =>
        await inbox.NotSpamAsync(id, cancellationToken) ? RedirectToPage(new { id, status = "not-spam" }) : NotFound();

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!ConfirmDelete)
        {
            // Show the message again (without marking anything) with the reason the delete did not happen.
            Message = await inbox.FindAsync(id, cancellationToken);
            if (Message is null)
            {
                return NotFound();
            }

            SetTitle(Message.Subject);
            ModelState.AddModelError(nameof(ConfirmDelete), "Tick the box to confirm that this message should be deleted.");
            return Page();
        }

        var tab = (await inbox.FindAsync(id, cancellationToken))?.Status;
        if (tab is null || !await inbox.DeleteAsync(id, cancellationToken))
        {
            return NotFound();
        }

        return RedirectToPage("/Messages/Index", new { tab = IndexModel.Tabs.Single(t => t.Status == tab).Key, status = "deleted" });
    }

    private async Task<IActionResult> MarkAsync(Guid id, ContactMessageStatus status, string done, CancellationToken cancellationToken) =>
        await inbox.MarkAsync(id, status, cancellationToken) ? RedirectToPage(new { id, status = done }) : NotFound();
}
