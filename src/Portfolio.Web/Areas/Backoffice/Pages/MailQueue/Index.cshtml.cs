using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

using Portfolio.Web.Email;
namespace Portfolio.Web.Areas.Backoffice.Pages.MailQueue;

/// <summary>The mail queue at <c>/umbraco/mail</c>: pending, failed, dead and sent mails, with "retry now".</summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class IndexModel(OwnerMailQueue queue) : BackofficePageModel
{
    public static IReadOnlyList<(MailQueueState State, string Key, string Label)> Tabs { get; } =
    [
        (MailQueueState.Pending, "pending", "Pending"),
        (MailQueueState.Failed, "failed", "Failed, retrying"),
        (MailQueueState.Dead, "dead", "Dead"),
        (MailQueueState.Sent, "sent", "Sent"),
    ];

    [BindProperty(SupportsGet = true, Name = "state")]
    public string? StateKey { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Done { get; set; }

    public MailQueueState State { get; private set; }

    public MailQueueCounts Counts { get; private set; } = new(0, 0, 0, 0);

    public PagedList<MailLine> Mails { get; private set; } = new([], 1, OwnerMailQueue.PageSize, 0);

    public string TabLabel => Tabs.Single(tab => tab.State == State).Label;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        State = Tabs.FirstOrDefault(tab => string.Equals(tab.Key, StateKey, StringComparison.OrdinalIgnoreCase)) is { Label: not null } found
            ? found.State
            : MailQueueState.Pending;
        SetTitle($"Mail queue: {TabLabel}");
        Counts = await queue.CountsAsync(cancellationToken);
        Mails = await queue.ListAsync(State, Paging.Clamp(PageNumber), cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken cancellationToken)
    {
        var retried = await queue.RetryNowAsync(id, cancellationToken);
        return RedirectToPage(new { state = "pending", status = retried ? "retried" : "not-retried" });
    }

    public OwnerPager Pager => new("Mail pages", Url.Page("/MailQueue/Index")!, Mails.PageNumber, Mails.PageCount,
        new Dictionary<string, string?> { ["state"] = Tabs.Single(tab => tab.State == State).Key });
}
