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

    public BackofficeTimeZone Zone { get; private set; } = BackofficeTimeZone.Utc;

    /// <summary>The query values the time zone form keeps (the page and the entity filter).</summary>
    public TimeZoneForm ZoneForm =>
        new(Zone, new (string Name, string? Value)[] { ("p", PageNumber > 1 ? PageNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) : null), ("entityType", NullIfEmpty(EntityType)), ("entityId", NullIfEmpty(EntityId)) }
            .Where(kept => kept.Value is not null).Select(kept => (kept.Name, kept.Value!)).ToList());

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SetTitle("Audit log");
        Zone = BackofficeTimeZone.Of(HttpContext);
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var entries = await audit.RecentAsync((PageNumber - 1) * PageSize, PageSize + 1, NullIfEmpty(EntityType), NullIfEmpty(EntityId), cancellationToken);
        HasNextPage = entries.Count > PageSize;
        Entries = entries.Take(PageSize).ToList();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
