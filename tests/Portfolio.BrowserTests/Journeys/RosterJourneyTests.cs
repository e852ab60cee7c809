using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>A prospective client finds an expert: home → roster → profile → FAQ → back to the roster.</summary>
[Collection(PublicSiteCollection.Name)]
public sealed class RosterJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task AVisitorGoesFromTheHomePageThroughTheRosterToAProfileReadsAnFaqAnswerAndReturnsToTheRoster()
    {
        var page = await OpenPageAsync();

        var home = await HomePage.OpenAsync(page);
        await Assertions.Expect(home.MainHeading).ToBeVisibleAsync();

        var team = await home.GoToTeamAsync();
        await Assertions.Expect(team.MainHeading).ToBeVisibleAsync();
        await Assertions.Expect(team.ProfileLink(PageTypes.SampleExpertSlug).First).ToBeVisibleAsync();

        var profile = await team.OpenProfileAsync(PageTypes.SampleExpertSlug);
        await Assertions.Expect(profile.MainHeading).ToContainTextAsync("Talha");
        Assert.True(await profile.FaqEntries.CountAsync() > 0, "Talha's profile shows no FAQ entry (<details> in <main>).");
        Assert.False(await profile.IsFaqEntryOpenAsync(0), "The first FAQ entry should start closed.");

        await profile.OpenFaqEntryByClickAsync(0);
        Assert.True(await profile.IsFaqEntryOpenAsync(0), "Clicking the first FAQ question did not open its answer.");
        await Assertions.Expect(profile.FaqEntries.First).ToHaveAttributeAsync("open", "");

        var roster = await profile.BackToRosterAsync();
        await Assertions.Expect(roster.ProfileLink(PageTypes.SampleExpertSlug).First).ToBeVisibleAsync();
        AssertNoPageProblems("The journey from home to a profile and back");
    }

    [Fact]
    public async Task AnFaqAnswerOnAProfileOpensAndClosesFromTheKeyboard()
    {
        var page = await OpenPageAsync();
        var profile = await ProfilePage.OpenAsync(page, PageTypes.SampleExpertSlug);
        Assert.True(await profile.FaqEntries.CountAsync() > 0, "Talha's profile shows no FAQ entry (<details> in <main>).");

        await profile.ToggleFaqEntryWithKeyboardAsync(0, "Enter");
        Assert.True(await profile.IsFaqEntryOpenAsync(0), "Enter on the focused FAQ question did not open its answer.");
        Assert.True(await profile.FocusedElementShowsFocusAsync(), "The focused FAQ question shows no focus indicator.");

        await profile.ToggleFaqEntryWithKeyboardAsync(0, "Space");
        Assert.False(await profile.IsFaqEntryOpenAsync(0), "Space on the focused FAQ question did not close its answer.");
    }

    [Fact]
    public async Task AnUnknownAddressShowsTheFriendlyNotFoundPageWithA404AndAWayBack()
    {
        var page = await OpenPageAsync();

        var notFound = await NotFoundPage.OpenAsync(page);

        await Assertions.Expect(notFound.MainHeading).ToBeVisibleAsync();
        await Assertions.Expect(notFound.HomeLink.First).ToBeVisibleAsync();
        await Assertions.Expect(notFound.RobotsMeta).ToHaveAttributeAsync("content", "noindex");
        AssertNoPageProblems("The not-found page");
    }
}
