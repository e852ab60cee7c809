using Microsoft.AspNetCore.Authorization;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

using Portfolio.Web.Booking;
namespace Portfolio.Web.Areas.Backoffice.Pages.Availability;

/// <summary>The experts whose availability the owner can edit, at <c>/umbraco/availability</c>.</summary>
[Authorize(Policy = BackofficePolicies.Owner)]
public sealed class IndexModel(AvailabilityEditor editor) : BackofficePageModel
{
    public IReadOnlyList<ContentSummary> Experts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SetTitle("Availability");
        Experts = await editor.ExpertsAsync(cancellationToken);
    }
}
