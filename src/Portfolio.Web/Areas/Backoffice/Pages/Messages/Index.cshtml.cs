using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Contact;

namespace Portfolio.Web.Areas.Backoffice.Pages.Messages;

/// <summary>The inbox at <c>/umbraco/messages</c>: New, Read, Handled and Spam tabs with counts, paged.</summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class IndexModel(OwnerInbox inbox) : BackofficePageModel
{
    public static IReadOnlyList<(ContactMessageStatus Status, string Key, string Label)> Tabs { get; } =
    [
        (ContactMessageStatus.New, "new", "New"),
        (ContactMessageStatus.Read, "read", "Read"),
        (ContactMessageStatus.Handled, "handled", "Handled"),
        (ContactMessageStatus.Spam, "spam", "Spam"),
    ];

    [BindProperty(SupportsGet = true, Name = "tab")]
    public string? Tab { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    /// <summary>What the last action did, from the redirect that brought the owner here.</summary>
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Done { get; set; }

    public ContactMessageStatus Status { get; private set; }

    public InboxCounts Counts { get; private set; } = new(0, 0, 0, 0);

    public PagedList<InboxLine> Messages { get; private set; } = new([], 1, OwnerInbox.PageSize, 0);

    public string TabKey => Tabs.Single(tab => tab.Status == Status).Key;

    public string TabLabel => Tabs.Single(tab => tab.Status == Status).Label;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Status = Tabs.FirstOrDefault(tab => string.Equals(tab.Key, Tab, StringComparison.OrdinalIgnoreCase)) is { Label: not null } found
            ? found.Status
            : ContactMessageStatus.New;
        SetTitle($"Messages: {TabLabel}");
        Counts = await inbox.CountsAsync(cancellationToken);
        Messages = await inbox.ListAsync(Status, Paging.Clamp(PageNumber), cancellationToken);
    }

    public OwnerPager Pager => new("Message pages", Url.Page("/Messages/Index")!, Messages.PageNumber, Messages.PageCount,
        new Dictionary<string, string?> { ["tab"] = TabKey });
}
