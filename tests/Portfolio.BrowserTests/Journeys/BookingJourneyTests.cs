using System.Text.Json;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>
/// A visitor books a consultation through the pages, by keyboard alone (Tab, Shift+Tab, arrows, Space, Enter and
/// typing; nothing is clicked): the times in their own time zone, the error summary, the manage page with its
/// move and cancel forms, the invitation mails in the app's pickup folder, and the same form without script.
/// Every test picks a time from the list the page shows at that moment, never the first one (it may be only
/// just past the expert's minimum notice by the time the form is sent), so the tests never compete for a slot.
/// </summary>
public sealed class BookingJourneyTests(BrowserFixture fixture) : FormJourneyTest(fixture)
{
    private const string NewYork = "America/New_York";
    private const string Tokyo = "Asia/Tokyo";

    [Fact]
    public async Task AVisitorInNewYorkBooksTalhaByKeyboardSeesTheInvitationMailThenMovesAndCancelsTheBooking()
    {
        var page = await OpenPageAsync(timeZoneId: NewYork);
        var profile = await ProfilePage.OpenAsync(page, BookingPage.Talha);
        await profile.TabToAsync(profile.BookingLinks.First, "the profile's Book a consultation link");
        await page.Keyboard.PressAsync("Enter");
        var booking = await BookingPage.ArrivedAsync(page, BookingPage.Talha);

        // The script found the browser's zone: the select, the sentence under the list and every label say New York.
        await Expect(booking.Slots.TimeZoneSelect).ToHaveValueAsync(NewYork);
        await Expect(booking.Slots.ZoneLabel).ToContainTextAsync(NewYork);
        await Expect(booking.Slots.ShowTimesButton).ToBeHiddenAsync();
        var offered = await booking.Slots.AllAsync();
        Assert.True(offered.Count >= 6, $"Talha's booking page offers {offered.Count} times in two weeks; the sample availability gives many more.");
        Assert.All(offered, slot => Assert.Equal(slot.ExpectedLabelIn(NewYork), slot.Label));
        await AssertDaysAreLocalDaysAsync(booking, NewYork);

        var chosen = await booking.Slots.ChooseByKeyboardAsync(stepsDown: 2);
        Assert.Equal(offered[2], chosen);
        Assert.True(await booking.FocusedElementShowsFocusAsync(), "The focused time shows no focus indicator.");
        var details = BookingDetails.For("Dana Whitfield");
        await booking.FillDetailsByKeyboardAsync(details);
        var manage = await booking.BookByKeyboardAsync();

        Assert.EndsWith("?booked=1", page.Url, StringComparison.Ordinal);
        await Expect(manage.Confirmation).ToBeFocusedAsync();
        await Expect(manage.Confirmation).ToContainTextAsync("We've e-mailed you an invitation");
        await Expect(manage.Confirmation).ToContainTextAsync(details.Email);
        await Expect(manage.Status).ToHaveTextAsync("Confirmed");
        await Expect(manage.Time).ToHaveTextAsync(chosen.ExpectedDescriptionIn(NewYork));

        var mailFolder = Fixture.App.MailPickupDirectory;
        var invitation = await MailPickup.WaitForAsync(mailFolder,
            mail => mail.IsTo(details.Email) && mail.CalendarProperty("DTSTART") == chosen.CalendarStart,
            $"to {details.Email} with an invitation for {chosen.CalendarStart}");
        Assert.Equal("REQUEST", invitation.CalendarProperty("METHOD"));
        Assert.Contains("method=REQUEST", invitation.Part("text/calendar")!.ContentType, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"mailto:{details.Email}", invitation.Calendar, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(chosen.ExpectedDescriptionIn(NewYork), invitation.PlainText, StringComparison.Ordinal);
        var uid = invitation.CalendarProperty("UID");
        Assert.False(string.IsNullOrEmpty(uid), "The invitation has no UID.");
        await MailPickup.WaitForAsync(mailFolder,
            mail => mail.IsTo(PortfolioAppProcess.OwnerAddress) && (mail.Header("Reply-To") ?? "").Contains(details.Email, StringComparison.OrdinalIgnoreCase),
            $"to the owner about {details.Email}'s booking");

        // Move: the list on the manage page is in the zone the visitor booked in.
        await Expect(manage.MoveSlots.TimeZoneSelect).ToHaveValueAsync(NewYork);
        var moveTo = await manage.MoveSlots.ChooseByKeyboardAsync(stepsDown: 5);
        Assert.NotEqual(chosen.StartUtc, moveTo.StartUtc);
        Assert.Equal(moveTo.ExpectedLabelIn(NewYork), moveTo.Label);
        await manage.MoveByKeyboardAsync();

        Assert.EndsWith("?moved=1", page.Url, StringComparison.Ordinal);
        await Expect(manage.Confirmation).ToBeFocusedAsync();
        await Expect(manage.Confirmation).ToContainTextAsync("moved");
        await Expect(manage.Status).ToHaveTextAsync("Confirmed");
        await Expect(manage.Time).ToHaveTextAsync(moveTo.ExpectedDescriptionIn(NewYork));
        var update = await MailPickup.WaitForAsync(mailFolder,
            mail => mail.IsTo(details.Email) && mail.CalendarProperty("DTSTART") == moveTo.CalendarStart,
            $"to {details.Email} with the invitation moved to {moveTo.CalendarStart}");
        Assert.Equal("REQUEST", update.CalendarProperty("METHOD"));
        Assert.Equal(uid, update.CalendarProperty("UID"));
        Assert.True(int.Parse(update.CalendarProperty("SEQUENCE") ?? "0", System.Globalization.CultureInfo.InvariantCulture)
            > int.Parse(invitation.CalendarProperty("SEQUENCE") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            "The moved invitation's SEQUENCE did not grow, so calendars would keep the old time.");

        await manage.CancelByKeyboardAsync();

        Assert.EndsWith("?cancelled=1", page.Url, StringComparison.Ordinal);
        await Expect(manage.Status).ToHaveTextAsync("Cancelled");
        await Expect(manage.Confirmation).ToBeFocusedAsync();
        await Expect(manage.Confirmation).ToContainTextAsync("cancelled");
        await Expect(manage.MoveForm).ToHaveCountAsync(0);
        await Expect(manage.CancelForm).ToHaveCountAsync(0);
        var cancellation = await MailPickup.WaitForAsync(mailFolder,
            mail => mail.IsTo(details.Email) && mail.CalendarProperty("METHOD") == "CANCEL",
            $"to {details.Email} cancelling the invitation");
        Assert.Equal(uid, cancellation.CalendarProperty("UID"));
        AssertNoPageProblems("Booking, moving and cancelling a consultation");
    }

    [Fact]
    public async Task SendingTheBookingFormEmptyShowsTheErrorSummaryWhoseLinksLeadToTheFieldsAndTheCorrectedFormBooks()
    {
        var page = await OpenPageAsync();
        var booking = await BookingPage.OpenAsync(page, BookingPage.Maya);
        var firstSlot = await booking.Slots.ReadAsync(booking.Slots.Radios.First);

        await booking.SubmitExpectingErrorsAsync();

        await Expect(booking.ErrorSummary).ToBeFocusedAsync();
        await Expect(booking.ErrorSummary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("There is a problem");
        var targets = new[] { firstSlot.Id, "booking-name", "booking-email", "booking-topic" };
        Assert.Equal(targets.Select(id => "#" + id), await HrefsAsync(booking.ErrorSummaryLinks));
        await Expect(booking.Slots.Error).ToBeVisibleAsync();
        foreach (var field in new[] { booking.Name, booking.Email, booking.Topic })
        {
            var id = await field.GetAttributeAsync("id");
            await Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(booking.ErrorFor(id!)).ToBeVisibleAsync();
            Assert.Contains($"{id}-error", await field.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        }

        await Expect(booking.Company).Not.ToHaveAttributeAsync("aria-invalid", "true");

        for (var index = 0; index < targets.Length; index++)
        {
            await booking.FollowErrorSummaryLinkAsync(index);
            await Expect(page.Locator($"#{targets[index]}")).ToBeFocusedAsync();
        }

        // Put right what the summary lists, starting from its first link.
        await booking.FollowErrorSummaryLinkAsync(0);
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Space");
        var chosen = await booking.Slots.ReadAsync(booking.Slots.Checked);
        await Expect(booking.Slots.Error).ToHaveCountAsync(0);
        var details = BookingDetails.For("Jonas Berg");
        await booking.FillDetailsByKeyboardAsync(details);
        await Expect(booking.Form.Locator("[aria-invalid='true']")).ToHaveCountAsync(0);
        await Expect(booking.Form.Locator(".field__error")).ToHaveCountAsync(0);

        var zone = await booking.Slots.TimeZoneSelect.InputValueAsync();
        await booking.RecordSendingStateAsync("#booking-form");
        var manage = await booking.BookByKeyboardAsync();
        Assert.Equal(new[] { "Booking…", "true", "true" }, await booking.RecordedSendingStateAsync());

        await Expect(manage.Status).ToHaveTextAsync("Confirmed");
        await Expect(manage.Time).ToHaveTextAsync(chosen.ExpectedDescriptionIn(zone));
        AssertNoPageProblems("Correcting and sending the booking form");
    }

    [Fact]
    public async Task ATimeSomeoneElseBookedMeanwhileIsReportedInTheSummaryAndTheVisitorBooksAnotherKeepingTheirDetails()
    {
        var page = await OpenPageAsync();
        var booking = await BookingPage.OpenAsync(page, BookingPage.Talha);
        var wanted = await booking.Slots.ChooseByKeyboardAsync(stepsDown: 3);
        var details = BookingDetails.For("Sam Okafor");
        await booking.FillDetailsByKeyboardAsync(details);

        // Meanwhile another visitor books the very same time.
        var rivalPage = await OpenPageAsync();
        var rival = await BookingPage.OpenAsync(rivalPage, BookingPage.Talha);
        Assert.Equal(wanted, await rival.Slots.ChooseByKeyboardAsync(stepsDown: 3));
        await rival.FillDetailsByKeyboardAsync(BookingDetails.For("Alex Quick"));
        await rival.BookByKeyboardAsync();

        await booking.SubmitExpectingErrorsAsync();

        // The server's answer: the summary (focused by the script), the list without the taken time, the details kept.
        await Expect(booking.ErrorSummary).ToBeFocusedAsync();
        await Expect(booking.Slots.Error).ToBeVisibleAsync();
        Assert.StartsWith("Error:", await page.TitleAsync(), StringComparison.Ordinal);
        await Expect(page.Locator($"#{wanted.Id}")).ToHaveCountAsync(0);
        await Expect(booking.Slots.Checked).ToHaveCountAsync(0);
        await Expect(booking.Name).ToHaveValueAsync(details.Name);
        await Expect(booking.Email).ToHaveValueAsync(details.Email);
        await Expect(booking.Topic).ToHaveValueAsync(details.Topic);

        await booking.FollowErrorSummaryLinkAsync(0);
        await Expect(booking.Slots.Radios.First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Space");
        var manage = await booking.BookByKeyboardAsync();

        await Expect(manage.Status).ToHaveTextAsync("Confirmed");
        AssertNoPageProblems("Booking a time someone else took meanwhile");
    }

    [Fact]
    public async Task AnotherTimeZonePickedByKeyboardRelabelsTheListWithoutAReloadAndIsKeptOverTheDetectedOne()
    {
        var page = await OpenPageAsync(timeZoneId: NewYork);
        var booking = await BookingPage.OpenAsync(page, BookingPage.Maya);
        await Expect(booking.Slots.TimeZoneSelect).ToHaveValueAsync(NewYork);
        // A reload would lose this mark: the list must follow the select in place, typed details and all.
        await page.EvaluateAsync("() => { window.browserTestsNoReload = true; }");
        var before = await booking.Slots.AllAsync();

        await booking.TabToAsync(booking.Slots.TimeZoneSelect, "the time zone select");
        await page.Keyboard.TypeAsync("Tokyo");

        await Expect(booking.Slots.TimeZoneSelect).ToHaveValueAsync(Tokyo);
        await Expect(booking.Slots.ZoneLabel).ToContainTextAsync(Tokyo);
        await Expect(page.Locator("[data-timezone-status]")).ToContainTextAsync($"Times now shown in Tokyo time, {Tokyo}");
        var after = await booking.Slots.AllAsync();
        Assert.Equal(before.Select(slot => slot.StartUtc), after.Select(slot => slot.StartUtc));
        Assert.All(after, slot => Assert.Equal(slot.ExpectedLabelIn(Tokyo), slot.Label));
        await AssertDaysAreLocalDaysAsync(booking, Tokyo);
        Assert.True(await page.EvaluateAsync<bool>("() => window.browserTestsNoReload === true"), "Changing the zone reloaded the page.");
        await Expect(booking.Form.Locator("input[name='tz']")).ToHaveValueAsync(Tokyo);
        Assert.Contains("tz=Asia%2FTokyo", new Uri(page.Url).Query, StringComparison.Ordinal);
        foreach (var link in await page.Locator("[data-keep-tz]").AllAsync())
        {
            Assert.Contains("tz=Asia%2FTokyo", await link.GetAttributeAsync("href") ?? "", StringComparison.Ordinal);
        }

        // The address now names the zone: coming back to it keeps the visitor's choice over the browser's zone.
        await page.ReloadAsync();
        await Expect(booking.Slots.TimeZoneSelect).ToHaveValueAsync(Tokyo);
        Assert.All(await booking.Slots.AllAsync(), slot => Assert.Equal(slot.ExpectedLabelIn(Tokyo), slot.Label));

        var chosen = await booking.Slots.ChooseByKeyboardAsync(stepsDown: 4);
        await booking.FillDetailsByKeyboardAsync(BookingDetails.For("Kenji Mori"));
        var manage = await booking.BookByKeyboardAsync();

        await Expect(manage.Time).ToHaveTextAsync(chosen.ExpectedDescriptionIn(Tokyo));
        AssertNoPageProblems("Changing the time zone of the slot list");
    }

    [Fact]
    public async Task WithoutJavaScriptAVisitorChangesTheTimeZoneCorrectsAnErrorAndBooks()
    {
        // The browser's zone can't reach the server without script: the list starts in the expert's zone.
        var page = await OpenPageAsync(javaScriptEnabled: false, timeZoneId: Tokyo);
        var booking = await BookingPage.OpenAsync(page, BookingPage.Maya);
        await Expect(booking.Slots.TimeZoneSelect).ToHaveValueAsync(BookingPage.MayaTimeZone);
        await Expect(booking.Slots.ShowTimesButton).ToBeVisibleAsync();
        Assert.All(await booking.Slots.AllAsync(), slot => Assert.Equal(slot.ExpectedLabelIn(BookingPage.MayaTimeZone), slot.Label));

        // Type-ahead in the select, then "Show times" reloads the list in that zone.
        await booking.TabToAsync(booking.Slots.TimeZoneSelect, "the time zone select");
        await page.Keyboard.TypeAsync("Tokyo");
        await Expect(booking.Slots.TimeZoneSelect).ToHaveValueAsync(Tokyo);
        await page.Keyboard.PressAsync("Tab");
        await Expect(booking.Slots.ShowTimesButton).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).Query.Contains("tz=Asia%2FTokyo", StringComparison.Ordinal));
        await Expect(booking.Slots.TimeZoneSelect).ToHaveValueAsync(Tokyo);
        var offered = await booking.Slots.AllAsync();
        Assert.NotEmpty(offered);
        Assert.All(offered, slot => Assert.Equal(slot.ExpectedLabelIn(Tokyo), slot.Label));

        // An address the browser's own check lets through but the server does not.
        var chosen = await booking.Slots.ChooseByKeyboardAsync(stepsDown: 3);
        var details = BookingDetails.For("Mei Tanaka");
        await booking.FillDetailsByKeyboardAsync(details with { Email = "mei@localhost" });
        await booking.SubmitExpectingErrorsAsync();

        await Expect(booking.ErrorSummary).ToBeVisibleAsync();
        await Expect(booking.ErrorSummaryLinks).ToHaveCountAsync(1);
        Assert.Equal(new[] { "#booking-email" }, await HrefsAsync(booking.ErrorSummaryLinks));
        Assert.StartsWith("Error:", await page.TitleAsync(), StringComparison.Ordinal);
        await Expect(booking.Email).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(booking.ErrorFor("booking-email")).ToBeVisibleAsync();
        await Expect(booking.Slots.Checked).ToHaveValueAsync(chosen.StartUtc);
        await Expect(booking.Slots.TimeZoneSelect).ToHaveValueAsync(Tokyo);
        await Expect(booking.Name).ToHaveValueAsync(details.Name);

        // Without script the browser's own fragment navigation puts the cursor in the field.
        await booking.FollowErrorSummaryLinkAsync(0);
        await Expect(booking.Email).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(details.Email);
        var manage = await booking.BookByKeyboardAsync();

        await Expect(manage.Confirmation).ToBeVisibleAsync();
        await Expect(manage.Status).ToHaveTextAsync("Confirmed");
        await Expect(manage.Time).ToHaveTextAsync(chosen.ExpectedDescriptionIn(Tokyo));
        await MailPickup.WaitForAsync(Fixture.App.MailPickupDirectory,
            mail => mail.IsTo(details.Email) && mail.CalendarProperty("DTSTART") == chosen.CalendarStart,
            $"to {details.Email} with an invitation for {chosen.CalendarStart}");
        AssertNoPageProblems("Booking without JavaScript");
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task TheBookingAndManagePagesHaveNoAxeViolationsInAnyState(string viewport)
    {
        var page = await OpenPageAsync(Viewport.Named(viewport));
        var booking = await BookingPage.OpenAsync(page, BookingPage.Talha);
        await AssertStateIsAccessibleAsync(page, $"booking-{viewport}", $"the booking page at {viewport} width");

        await booking.SubmitExpectingErrorsAsync();
        await Expect(booking.ErrorSummary).ToBeFocusedAsync();
        await AssertStateIsAccessibleAsync(page, $"booking-errors-{viewport}", $"the booking page with errors at {viewport} width");

        await booking.FollowErrorSummaryLinkAsync(0);
        for (var step = 0; step < 4; step++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        await booking.FillDetailsByKeyboardAsync(BookingDetails.For("Robin Axe"));
        var manage = await booking.BookByKeyboardAsync();
        await Expect(manage.Confirmation).ToBeFocusedAsync();
        await AssertStateIsAccessibleAsync(page, $"manage-booked-{viewport}", $"the manage page after booking at {viewport} width");

        await manage.SubmitMoveExpectingErrorsAsync();
        await Expect(manage.ErrorSummary).ToBeFocusedAsync();
        await Expect(manage.MoveSlots.Error).ToBeVisibleAsync();
        await AssertStateIsAccessibleAsync(page, $"manage-move-errors-{viewport}", $"the manage page with a move error at {viewport} width");

        await manage.CancelByKeyboardAsync();
        await Expect(manage.Status).ToHaveTextAsync("Cancelled");
        await AssertStateIsAccessibleAsync(page, $"manage-cancelled-{viewport}", $"the manage page of a cancelled booking at {viewport} width");
        AssertNoPageProblems($"The booking and manage pages at {viewport} width");
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task TheBookingPageAsTheServerRendersItHasNoAxeViolationsWithAndWithoutErrors(string viewport)
    {
        var page = await OpenPageAsync(Viewport.Named(viewport));
        await StubSiteScriptsAsync(page);
        var booking = await BookingPage.OpenAsync(page, BookingPage.Talha);
        await Expect(booking.Slots.ShowTimesButton).ToBeVisibleAsync();
        await AssertStateIsAccessibleAsync(page, $"booking-noscript-{viewport}", $"the booking page without its scripts at {viewport} width");

        await booking.Slots.ChooseByKeyboardAsync(stepsDown: 5);
        await booking.FillDetailsByKeyboardAsync(BookingDetails.For("Robin Noscript") with { Email = "robin@localhost" });
        await booking.SubmitExpectingErrorsAsync();
        await Expect(booking.ErrorSummary).ToBeVisibleAsync();
        await Expect(booking.ErrorFor("booking-email")).ToBeVisibleAsync();
        await AssertStateIsAccessibleAsync(page, $"booking-noscript-errors-{viewport}",
            $"the booking page with the server's errors at {viewport} width");
    }

    /// <summary>Each day's fieldset is one local day of the zone, its legend that day ("Tuesday 3 November").</summary>
    private static async Task AssertDaysAreLocalDaysAsync(BookingPage booking, string timeZoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var days = await booking.Slots.Days.EvaluateAllAsync<JsonElement>(
            "days => days.map(day => ({ heading: day.querySelector('legend').textContent.trim(), starts: [...day.querySelectorAll('input[type=radio]')].map(input => input.value) }))");
        Assert.True(days.GetArrayLength() > 0, "The list shows no day.");
        foreach (var day in days.EnumerateArray())
        {
            var heading = day.GetProperty("heading").GetString();
            foreach (var start in day.GetProperty("starts").EnumerateArray())
            {
                var local = TimeZoneInfo.ConvertTimeFromUtc(new SlotChoice("", start.GetString()!, start.GetString()!, "").Start, zone);
                Assert.Equal(local.ToString("dddd d MMMM", System.Globalization.CultureInfo.InvariantCulture), heading);
            }
        }
    }

    private static async Task<string[]> HrefsAsync(ILocator links) =>
        await links.EvaluateAllAsync<string[]>("links => links.map(link => link.getAttribute('href'))");
}
