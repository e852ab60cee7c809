using Microsoft.Playwright;
using Portfolio.BrowserTests.Infrastructure;
using Xunit.Sdk;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// A page with one of the site's forms (contact, booking, manage booking) and what they share: the error
/// summary (<c>#error-summary</c>, links to the fields), each field's error (<c>#{id}-error</c>), and the
/// keyboard moves a visitor without a mouse makes through a form.
/// </summary>
public abstract class FormPage(IPage page) : SitePage(page)
{
    private const int MaxPressesWithinPage = 120;

    public ILocator ErrorSummary => Page.Locator("#error-summary");

    public ILocator ErrorSummaryLinks => ErrorSummary.Locator("a");

    /// <summary>The message shown for a field (<c>#booking-email-error</c>); a slot group's is <c>#booking-slots-error</c>.</summary>
    public ILocator ErrorFor(string id) => Page.Locator($"#{id}-error");

    /// <summary>
    /// Moves on with Tab (or back with Shift+Tab) from wherever focus is now, the way a visitor works through a
    /// form, until <paramref name="target"/> or an element inside it has focus. Unlike
    /// <see cref="SitePage.TabToAsync"/> it does not start over from the top of the page.
    /// </summary>
    public async Task TabOnToAsync(ILocator target, string description, bool backwards = false)
    {
        var key = backwards ? "Shift+Tab" : "Tab";
        for (var presses = 0; presses <= MaxPressesWithinPage; presses++)
        {
            if (await HasFocusWithinAsync(target))
            {
                return;
            }

            await Page.Keyboard.PressAsync(key);
        }

        throw new XunitException($"{description} never received focus after {MaxPressesWithinPage} presses of {key} from where focus was.");
    }

    /// <summary>Tabs on to a text field and types <paramref name="text"/> into it, replacing what it held.</summary>
    public async Task TypeIntoAsync(ILocator field, string text, string description)
    {
        await TabOnToAsync(field, description);
        await Page.Keyboard.PressAsync("Control+A");
        if (text.Length == 0)
        {
            await Page.Keyboard.PressAsync("Delete");
            return;
        }

        await Page.Keyboard.TypeAsync(text);
    }

    /// <summary>
    /// Follows the error summary's link number <paramref name="index"/> as a keyboard user does: Tab from the top
    /// of the page to it, then Enter.
    /// </summary>
    public async Task FollowErrorSummaryLinkAsync(int index)
    {
        var link = ErrorSummaryLinks.Nth(index);
        await TabToAsync(link, $"error summary link {index + 1}");
        await Page.Keyboard.PressAsync("Enter");
    }

    public static Task<bool> HasFocusWithinAsync(ILocator target) =>
        target.EvaluateAsync<bool>("el => el === document.activeElement || el.contains(document.activeElement)");

    /// <summary>
    /// Sends the form with <paramref name="keyboardAction"/> (say, Enter on its button) and expects the server to
    /// accept it: a 303 (Post/Redirect/Get) to a page under <paramref name="pathPrefix"/>. Fails with the page's
    /// error summary when the script kept the form from being posted or the server turned the post down.
    /// </summary>
    protected async Task SubmitAndExpectRedirectAsync(Func<Task> keyboardAction, string pathPrefix, string description)
    {
        // The GET the redirect leads to, awaited from before the post: when the redirect goes back to the page's own
        // address, waiting for that address afterwards raced the navigation and once timed out on an idle machine.
        var followed = Page.WaitForResponseAsync(
            candidate => candidate.Request.Method == "GET" && candidate.Request.ResourceType == "document" && candidate.Request.RedirectedFrom is not null,
            new() { Timeout = 30_000 });
        // Then the first document parsed after the post (the page redirected to, or the form again with its errors): a
        // redirect back to the same address matches that address at once, while the frame still holds the old
        // document's load states.
        var response = await Page.RunAndWaitForNextDocumentAsync(async () =>
        {
            try
            {
                return await Page.RunAndWaitForResponseAsync(keyboardAction,
                    candidate => candidate.Request.Method == "POST" && candidate.Request.ResourceType == "document");
            }
            catch (TimeoutException)
            {
                throw new XunitException($"{description}: the form was never posted. {await DescribeErrorsAsync()}");
            }
        });
        if (response.Status != 303)
        {
            throw new XunitException($"{description}: the post answered {response.Status}, not a redirect. {await DescribeErrorsAsync()}");
        }

        // The redirect may go to the page the form is on (the manage page's own forms), so wait for its exact address.
        var location = new Uri(new Uri(Page.Url), await response.HeaderValueAsync("location") ?? "");
        if (!location.AbsolutePath.StartsWith(pathPrefix, StringComparison.Ordinal))
        {
            throw new XunitException($"{description}: the post redirected to {location}, not to a page under {pathPrefix}.");
        }

        await followed;
        // The address without "tz": the booking pages' script writes the visitor's detected zone into it
        // (history.replaceState) as soon as the page runs, which on a busy machine can come before this wait starts.
        // Waiting for the DOM, not the load event, which also waits for every image and stylesheet.
        await Page.WaitForAddressAsync(url => WithoutZone(url) == WithoutZone(location), LoadState.DOMContentLoaded);
    }

    private static string WithoutZone(Uri address)
    {
        var query = System.Web.HttpUtility.ParseQueryString(address.Query);
        query.Remove("tz");
        return $"{address.AbsolutePath}?{query}";
    }

    /// <summary>
    /// Records, in the tab's sessionStorage (which outlives the page), what the submit button says the moment the
    /// form is sent: its text, <c>aria-disabled</c> and the form's <c>aria-busy</c>. The "Sending…" state lasts only
    /// until the next page arrives, too short to catch from outside; the listener runs after the site's own.
    /// </summary>
    public Task RecordSendingStateAsync(string formSelector) =>
        Page.EvaluateAsync(
            """
            selector => {
              const form = document.querySelector(selector);
              form.addEventListener('submit', event => {
                if (event.defaultPrevented) return;
                const button = event.submitter || form.querySelector('[type=submit]');
                const state = [button.textContent.trim(), button.getAttribute('aria-disabled') || '', form.getAttribute('aria-busy') || ''];
                sessionStorage.setItem('browser-tests:sending-state', JSON.stringify(state));
              });
            }
            """,
            formSelector);

    /// <summary>What <see cref="RecordSendingStateAsync"/> saw: [button text, aria-disabled, aria-busy], empty if nothing was sent.</summary>
    public Task<string[]> RecordedSendingStateAsync() =>
        Page.EvaluateAsync<string[]>("() => JSON.parse(sessionStorage.getItem('browser-tests:sending-state') || '[]')");

    private async Task<string> DescribeErrorsAsync() =>
        await ErrorSummary.CountAsync() > 0
            ? "The page shows: " + (await ErrorSummary.InnerTextAsync()).ReplaceLineEndings(" / ")
            : "The page shows no error summary.";
}
