using System.Globalization;
using Portfolio.BrowserTests.Infrastructure;
using Portfolio.BrowserTests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Portfolio.BrowserTests.Journeys;

/// <summary>
/// A visitor writes to the consultancy through /contact by keyboard alone: inline checks as they go, the
/// character counter, the "Sending…" state, the thank-you (focused), and the owner's notification in the
/// app's pickup folder. Every message is sent after the form's time trap (3 s), as a person's would be;
/// a faster one is kept as spam and never mailed.
/// </summary>
public sealed class ContactJourneyTests(BrowserFixture fixture) : FormJourneyTest(fixture)
{
    private const int MessageMaxLength = 5000;

    private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");

    [Fact]
    public async Task AVisitorSendsAMessageByKeyboardSeesTheFocusedThankYouAndTheOwnerGetsTheMail()
    {
        var page = await OpenPageAsync();
        var contact = await ContactPage.OpenAsync(page);
        var message = ContactMessage.For("Priya Raman", "Second opinion on a data model");
        await Expect(contact.Counter).ToHaveTextAsync($"You have {MessageMaxLength.ToString("N0", British)} characters remaining");

        await contact.TypeIntoAsync(contact.Name, message.Name, "the name field");

        // A mistyped address is pointed out on leaving the field, and the message goes once it is right.
        await contact.TypeIntoAsync(contact.Email, message.Email.Replace("@", ".", StringComparison.Ordinal), "the e-mail field");
        await page.Keyboard.PressAsync("Tab");
        await Expect(contact.ErrorFor("contact-email")).ToBeVisibleAsync();
        await Expect(contact.ErrorFor("contact-email")).ToContainTextAsync("Enter an e-mail address like name@example.com.");
        await Expect(contact.Email).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Contains("contact-email-error", await contact.Email.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        await contact.TabOnToAsync(contact.Email, "the e-mail field", backwards: true);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(message.Email);
        await Expect(contact.ErrorFor("contact-email")).ToHaveCountAsync(0);
        await Expect(contact.Email).Not.ToHaveAttributeAsync("aria-invalid", "true");
        Assert.DoesNotContain("contact-email-error", await contact.Email.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);

        await contact.TypeIntoAsync(contact.Company, message.Company!, "the company field");
        await contact.TypeIntoAsync(contact.Subject, message.Subject, "the subject field");

        // The counter follows the typing: too short first, then what is left.
        await contact.TypeIntoAsync(contact.Message, "Hello", "the message field");
        await Expect(contact.Counter).ToHaveTextAsync("5 more characters needed (at least 10)");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(message.Text);
        await Expect(contact.Counter).ToHaveTextAsync(
            $"You have {(MessageMaxLength - message.Text.Length).ToString("N0", British)} characters remaining");
        await Expect(contact.ErrorSummary).ToHaveCountAsync(0);

        await contact.WaitOutTimeTrapAsync();
        await contact.RecordSendingStateAsync("#contact-message-form");
        await contact.SendByKeyboardAsync();
        Assert.Equal(new[] { "Sending…", "true", "true" }, await contact.RecordedSendingStateAsync());

        // The form posts to /contact#contact-form, and a redirect keeps the fragment: the thank-you is scrolled to.
        Assert.Equal("/contact?sent=1#contact-form", new Uri(page.Url).PathAndQuery + new Uri(page.Url).Fragment);
        await Expect(contact.Section).ToBeFocusedAsync();
        await Expect(contact.ThankYouHeading).ToHaveTextAsync($"Thank you, {message.Name}");
        await Expect(contact.SentText).ToContainTextAsync(message.Subject);
        await Expect(contact.Form).ToHaveCountAsync(0);

        var notification = await MailPickup.WaitForAsync(Fixture.App.MailPickupDirectory,
            mail => mail.IsTo(PortfolioAppProcess.OwnerAddress) && (mail.Header("Reply-To") ?? "").Contains(message.Email, StringComparison.OrdinalIgnoreCase),
            $"to the owner ({PortfolioAppProcess.OwnerAddress}) about {message.Email}'s message");
        Assert.Equal($"New message: {message.Subject}", notification.Subject);
        Assert.Contains("> " + message.Text, notification.PlainText, StringComparison.Ordinal);
        Assert.Contains(message.Name, notification.PlainText, StringComparison.Ordinal);
        AssertNoPageProblems("Sending a message through the contact page");
    }

    [Fact]
    public async Task SendingTheContactFormEmptyShowsTheErrorSummaryWhoseLinksLeadToTheFields()
    {
        var page = await OpenPageAsync();
        var contact = await ContactPage.OpenAsync(page);

        await contact.SendExpectingErrorsAsync();

        await Expect(contact.ErrorSummary).ToBeFocusedAsync();
        var targets = new[] { "contact-name", "contact-email", "contact-subject", "contact-message" };
        Assert.Equal(targets.Select(id => "#" + id),
            await contact.ErrorSummaryLinks.EvaluateAllAsync<string[]>("links => links.map(link => link.getAttribute('href'))"));
        for (var index = 0; index < targets.Length; index++)
        {
            await Expect(page.Locator($"#{targets[index]}")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(contact.ErrorFor(targets[index])).ToBeVisibleAsync();
            await contact.FollowErrorSummaryLinkAsync(index);
            await Expect(page.Locator($"#{targets[index]}")).ToBeFocusedAsync();
        }

        AssertNoPageProblems("The contact form's error summary");
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task TheContactPageHasNoAxeViolationsWithErrorsAndAfterSending(string viewport)
    {
        var page = await OpenPageAsync(Viewport.Named(viewport));
        var contact = await ContactPage.OpenAsync(page);

        await contact.SendExpectingErrorsAsync();
        await Expect(contact.ErrorSummary).ToBeFocusedAsync();
        await AssertStateIsAccessibleAsync(page, $"contact-errors-{viewport}", $"the contact page with errors at {viewport} width");

        // Entering a field again after the summary: the form as the visitor corrects it, one error left.
        var message = ContactMessage.For("Robin Axe", $"Accessibility check at {viewport} width");
        await contact.FillByKeyboardAsync(message with { Email = "robin.example.org" });
        await Expect(contact.ErrorFor("contact-email")).ToBeVisibleAsync();
        await AssertStateIsAccessibleAsync(page, $"contact-inline-error-{viewport}", $"the contact page with an inline error at {viewport} width");

        await contact.TypeIntoAsync(contact.Email, message.Email, "the e-mail field");
        await contact.WaitOutTimeTrapAsync();
        await contact.SendByKeyboardAsync();
        await Expect(contact.Section).ToBeFocusedAsync();
        await AssertStateIsAccessibleAsync(page, $"contact-sent-{viewport}", $"the contact page's thank-you at {viewport} width");
        AssertNoPageProblems($"The contact page at {viewport} width");
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task TheContactPageAsTheServerRendersItsErrorsHasNoAxeViolations(string viewport)
    {
        var page = await OpenPageAsync(Viewport.Named(viewport));
        await StubSiteScriptsAsync(page);
        var contact = await ContactPage.OpenAsync(page);

        // An address the browser's own check lets through but the server does not.
        var message = ContactMessage.For("Robin Noscript", $"Server errors at {viewport} width");
        await contact.FillByKeyboardAsync(message with { Email = "robin@localhost" });
        await contact.SendExpectingErrorsAsync();

        await Expect(contact.ErrorSummary).ToBeVisibleAsync();
        await Expect(contact.ErrorFor("contact-email")).ToBeVisibleAsync();
        await Expect(contact.Email).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(contact.Message).ToHaveValueAsync(message.Text);
        await AssertStateIsAccessibleAsync(page, $"contact-noscript-errors-{viewport}",
            $"the contact page with the server's errors at {viewport} width");
    }
}
