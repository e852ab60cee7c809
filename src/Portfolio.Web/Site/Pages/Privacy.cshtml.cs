using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Privacy;

namespace Portfolio.Web.Site.Pages;

/// <summary>
/// <c>/privacy</c>: what the site stores about a visitor and for how long. The periods are read from the running
/// configuration (<see cref="RetentionOptions"/>, the log files' <see cref="Portfolio.Web.Infrastructure.LoggingExtensions.LogFileDays"/>), so the
/// notice cannot promise something the retention job does not do.
/// </summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class PrivacyModel(IOptions<RetentionOptions> retention) : SitePageModel
{
    public RetentionOptions Retention => retention.Value;

    public int LogFileDays => LoggingExtensions.LogFileDays;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Describe("Privacy notice",
            $"What {Settings.SiteName} stores when you send a message or book a consultation, why, for how long, and how to have it erased.",
            "/privacy");
        return Page();
    }

    /// <summary>"365 days", "1 day".</summary>
    public static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    public static string Hours(int hours) => hours == 1 ? "1 hour" : $"{hours} hours";
}
