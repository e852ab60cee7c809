using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>An expert's profile at <c>/team/{slug}</c>; its FAQ is a list of &lt;details&gt; disclosures.</summary>
public sealed class ProfilePage(IPage page, string slug) : SitePage(page)
{
    public string Slug { get; } = slug;

    public static async Task<ProfilePage> OpenAsync(IPage page, string slug)
    {
        await GotoAsync(page, $"/team/{slug}");
        return new ProfilePage(page, slug);
    }

    public ILocator FaqEntries => Main.Locator("details");

    public ILocator FaqQuestion(int index) => FaqEntries.Nth(index).Locator("summary");

    public Task<bool> IsFaqEntryOpenAsync(int index) => FaqEntries.Nth(index).EvaluateAsync<bool>("details => details.open");

    public Task OpenFaqEntryByClickAsync(int index) => FaqQuestion(index).ClickAsync();

    /// <summary>Tabs to the entry's question and toggles it with Enter, as a keyboard user would.</summary>
    public async Task ToggleFaqEntryWithKeyboardAsync(int index, string key = "Enter")
    {
        var question = FaqQuestion(index);
        if (!await question.EvaluateAsync<bool>("el => el === document.activeElement"))
        {
            await TabToAsync(question, $"FAQ question {index + 1}");
        }

        await Page.Keyboard.PressAsync(key);
    }

    /// <summary>The profile's "Book a consultation" links (one in the header, one at the end), to <c>/team/{slug}/book</c>.</summary>
    public ILocator BookingLinks => Main.GetByRole(AriaRole.Link, new() { Name = "Book a consultation", Exact = true });

    /// <summary>The page body's link back to the roster.</summary>
    public ILocator BackToRosterLink => Main.Locator("a[href='/team']");

    public async Task<TeamPage> BackToRosterAsync()
    {
        await BackToRosterLink.First.ClickAsync();
        await ExpectPathAsync("/team");
        return new TeamPage(Page);
    }
}
