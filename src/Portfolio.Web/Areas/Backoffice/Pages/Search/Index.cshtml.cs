using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;
using Portfolio.Web.Contact;
using Portfolio.Web.Content;
using Portfolio.Web.Media;
using Portfolio.Web.Shared;

namespace Portfolio.Web.Areas.Backoffice.Pages.Search;

/// <summary>
/// The backoffice search at <c>/umbraco/search?q=…</c>, from the form on every backoffice page: content (drafts too),
/// media, messages and bookings (by client, expert or a date such as 2026-12-24). Each kind is searched only when the
/// user may open it (least privilege: a writer finds content, never a client's message).
/// </summary>
[Authorize(Policy = BackofficePolicies.Access)]
public sealed class IndexModel(IAuthorizationService authorization, ContentService content, MediaLibrary media,
    OwnerInbox inbox, OwnerBookings bookings) : BackofficePageModel
{
    /// <summary>Per kind: enough to find the item, few enough to read; a longer list asks for a sharper term.</summary>
    public const int Limit = 20;

    public const int MaxTermLength = 100;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public string Term { get; private set; } = "";

    public string? Problem { get; private set; }

    public IReadOnlyList<ContentSummary>? ContentItems { get; private set; }

    public IReadOnlyList<MediaItem>? Media { get; private set; }

    public IReadOnlyList<InboxLine>? Messages { get; private set; }

    public IReadOnlyList<BookingLine>? Bookings { get; private set; }

    public BackofficeTimeZone Zone { get; private set; } = BackofficeTimeZone.Utc;

    public int Total => (ContentItems?.Count ?? 0) + (Media?.Count ?? 0) + (Messages?.Count ?? 0) + (Bookings?.Count ?? 0);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Zone = BackofficeTimeZone.Of(HttpContext);
        Term = TextInput.Clean(Query);
        if (Term.Length == 0)
        {
            return;
        }

        if (Term.Length > MaxTermLength)
        {
            Problem = $"Search for at most {MaxTermLength} characters.";
            return;
        }

        if (await MayAsync(BackofficePolicies.ContentEdit))
        {
            ContentItems = await content.SearchAsync(Term, Limit, cancellationToken);
        }

        if (await MayAsync(BackofficePolicies.MediaEdit))
        {
            Media = await media.SearchAsync(Term, Limit, cancellationToken);
        }

        if (await MayAsync(BackofficePolicies.Owner))
        {
            Messages = await inbox.SearchAsync(Term, Limit, cancellationToken);
            Bookings = await bookings.SearchAsync(Term, Zone.Zone, Limit, cancellationToken);
        }
    }

    private async Task<bool> MayAsync(string policy) => (await authorization.AuthorizeAsync(User, policy)).Succeeded;
}
