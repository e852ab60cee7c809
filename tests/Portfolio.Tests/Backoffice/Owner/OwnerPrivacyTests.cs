using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>"Erase everything about this e-mail address" at /umbraco/privacy: all of that person's data, and only theirs.</summary>
public sealed class OwnerPrivacyTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    [Fact]
    public async Task ErasingAnAddressRemovesAllAndOnlyThatPersonsDataAfterShowingIt()
    {
        var (owner, user) = await app.SignedInAsync(BackofficeRoles.Owner);
        var person = $"forget-{Guid.NewGuid():N}@example.com";
        var other = $"keep-{Guid.NewGuid():N}@example.com";
        var message = await app.AddMessageAsync(person, subject: "Please forget me");
        var heldAsSpam = await app.AddMessageAsync(person.ToUpperInvariant(), Portfolio.Web.Contact.ContactMessageStatus.Spam, subject: "Shouting");
        var booking = await app.BookAsync(person, index: 0);
        var deadMail = await app.AddMailAsync(person, EmailStatus.Dead, attempts: 8, lastError: "550");
        var keptMessage = await app.AddMessageAsync(other, subject: "Keep me");
        var keptBooking = await app.BookAsync(other, index: 1);

        // Step 1: what is stored is listed, and nothing is erased yet.
        var found = await owner.SubmitAsync("/umbraco/privacy", new() { ["Email"] = "  " + person.ToUpperInvariant() + " " }, "form[action*='handler=Find']");
        var page = Html.Parse(await found.Content.ReadAsStringAsync());
        var listing = page.QuerySelector("section[aria-labelledby=found]")!.TextContent;
        Assert.Contains("Please forget me", listing, StringComparison.Ordinal);
        Assert.Contains("Shouting", listing, StringComparison.Ordinal);
        Assert.Contains("Messages (2)", listing, StringComparison.Ordinal);
        Assert.Contains("Bookings (1)", listing, StringComparison.Ordinal);
        // The dead mail, the booking's confirmation to them, and the expert's and the owner's copies (Reply-To them).
        Assert.Contains("Mails in the queue (4)", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("Keep me", listing, StringComparison.Ordinal);
        Assert.NotNull(await app.FindMessageAsync(message.Id));

        // Step 2: erase needs the tick.
        var erase = page.QuerySelector("form[action*='handler=Erase']")!;
        var token = erase.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var email = erase.QuerySelector("input[name=Email]")!.GetAttribute("value")!;
        var unconfirmed = await owner.PostFormAsync(erase.GetAttribute("action")!, [new("__RequestVerificationToken", token), new("Email", email)]);
        Assert.Contains("Tick the box", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(await app.FindMessageAsync(message.Id));

        var erased = await owner.PostFormAsync(erase.GetAttribute("action")!,
            [new("__RequestVerificationToken", token), new("Email", email), new("ConfirmErase", "true")]);
        Assert.Equal("/umbraco/privacy?status=erased&messages=2&bookings=1&mails=4", erased.Headers.Location?.PathAndQuery());

        Assert.Null(await app.FindMessageAsync(message.Id));
        Assert.Null(await app.FindMessageAsync(heldAsSpam.Id));
        Assert.False(await app.QueryAsync(db => db.Bookings.AnyAsync(b => b.Id == booking.Id)));
        Assert.False(await app.QueryAsync(db => db.EmailOutbox.AnyAsync(m => m.Id == deadMail.Id || m.ToAddress == person || m.ReplyTo == person)));
        Assert.NotNull(await app.FindMessageAsync(keptMessage.Id));
        Assert.True(await app.QueryAsync(db => db.Bookings.AnyAsync(b => b.Id == keptBooking.Id)));
        Assert.True(await app.QueryAsync(db => db.EmailOutbox.AnyAsync(m => m.ToAddress == other)));

        // The audit log knows it happened, and who did it, but not the address.
        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Action == OwnerAudit.PersonalDataErased));
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(OwnerAudit.HashEmail(person), audit.EntityId);
        Assert.StartsWith("sha256:", audit.EntityId, StringComparison.Ordinal);
        var everything = await app.QueryAsync(db => db.AuditEntries.Select(e => (e.EntityId ?? "") + " " + (e.Details ?? "")).ToListAsync());
        Assert.DoesNotContain(everything, text => text.Contains(person, StringComparison.OrdinalIgnoreCase) ||
                                                    text.Contains(person.Split('@')[0], StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AnAddressWithNothingStoredSaysSo()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);

        var found = await owner.SubmitAsync("/umbraco/privacy", new() { ["Email"] = "nobody-here@example.com" }, "form[action*='handler=Find']");

        var page = Html.Parse(await found.Content.ReadAsStringAsync());
        Assert.Contains("Nothing is stored about this address.", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("form[action*='handler=Erase']"));
    }
}
