using Microsoft.AspNetCore.Authorization;
using Portfolio.Web.Backoffice;

namespace Portfolio.Web.Areas.Backoffice.Pages.Users;

[Authorize(Policy = BackofficePolicies.UsersManage)]
[RequireRecentPassword]
public sealed class IndexModel(BackofficeUserAdministration administration, TimeProvider clock) : BackofficePageModel
{
    public IReadOnlyList<BackofficeUserSummary> Users { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SetTitle("Users");
        Now = clock.GetUtcNow();
        Users = await administration.ListAsync(cancellationToken);
    }
}
