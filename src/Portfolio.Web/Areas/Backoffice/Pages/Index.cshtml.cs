using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages;

/// <summary>The dashboard at <c>/umbraco</c>: real numbers for the parts the user's role covers.</summary>
[Authorize(Policy = BackofficePolicies.Access)]
public sealed class IndexModel(BackofficeDashboard dashboard, AuditLog audit, IAuthorizationService authorization, TimeProvider clock)
    : BackofficePageModel
{
    public ContentFacts? ContentState { get; private set; }
    public BusinessFacts? Business { get; private set; }
    public UserFacts? Users { get; private set; }
    public IReadOnlyList<AuditEntry> RecentActivity { get; private set; } = [];
    public DateTime Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        SetTitle("Dashboard");
        Now = clock.GetUtcNow().UtcDateTime;
        if (await MayAsync(BackofficePolicies.ContentEdit))
        {
            ContentState = await dashboard.ContentAsync(cancellationToken);
        }

        if (await MayAsync(BackofficePolicies.Owner))
        {
            Business = await dashboard.BusinessAsync(cancellationToken);
        }

        if (await MayAsync(BackofficePolicies.UsersManage))
        {
            Users = await dashboard.UsersAsync(cancellationToken);
        }

        if (await MayAsync(BackofficePolicies.AuditView))
        {
            RecentActivity = await audit.RecentAsync(0, 8, cancellationToken: cancellationToken);
        }

        return Page();
    }

    private async Task<bool> MayAsync(string policy) => (await authorization.AuthorizeAsync(User, policy)).Succeeded;
}
