using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages.Audit;

/// <summary>The audit log, newest first, 50 entries a page; optionally one entity's history.</summary>
[Authorize(Policy = BackofficePolicies.AuditView)]
public sealed class IndexModel(AuditLog audit) : BackofficePageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true)]
    public string? EntityType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? EntityId { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public bool HasNextPage { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SetTitle("Audit log");
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var entries = await audit.RecentAsync((PageNumber - 1) * PageSize, PageSize + 1, NullIfEmpty(EntityType), NullIfEmpty(EntityId), cancellationToken);
        HasNextPage = entries.Count > PageSize;
        Entries = entries.Take(PageSize).ToList();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
