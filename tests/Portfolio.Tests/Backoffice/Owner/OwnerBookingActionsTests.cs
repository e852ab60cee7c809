using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Booking;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Booking;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>
/// What happens to a booking besides booking and cancelling: the client's reason for a change, the owner moving it or
/// asking the client to choose a new time, the outcome of a meeting with the owner's private note (which never reaches
/// the client), and the week calendar opening on the week of the next booking.
/// </summary>
public sealed class OwnerBookingActionsTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    private static readonly DateTime Monday = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task TheClientsReasonForCancellingIsStoredAndShownToTheOwnerInTheBackofficeAndTheirMail()
    {
        var email = Address("reason");
        var (booking, token) = await app.BookAfterAsync(email, Monday.AddDays(2));
        var site = app.CreateBrowser();

        var cancelled = await site.SubmitAsync($"/bookings/manage/{token}", new() { ["reason"] = "Our launch slipped a week." }, "form#cancel-form");

        Assert.Equal(HttpStatusCode.SeeOther, cancelled.StatusCode);
        var stored = await BookingAsync(booking.Id);
        Assert.Equal(BookingStatus.Cancelled, stored.Status);
        Assert.Equal("Our launch slipped a week.", stored.CancellationReason);
        var ownerMail = (await app.QueryAsync(db => db.EmailOutbox.AsNoTracking()
            .Where(mail => mail.Kind == "booking-cancelled" && mail.ReplyTo == email).ToListAsync())).Single();
        Assert.Contains("Our launch slipped a week.", ownerMail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain((await app.MailsToAsync(email)), mail => mail.TextBody.Contains("launch slipped", StringComparison.Ordinal));
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var page = await owner.GetDocumentAsync($"/umbraco/bookings/{booking.Id}");
        Assert.Equal("Our launch slipped a week.", page.QuerySelector("#cancellation-reason")!.TextContent);
    }

    [Fact]
    public async Task TheClientsReasonForMovingIsStoredAndInTheOwnersMailAndATooLongOneIsRefused()
    {
        var email = Address("move-reason");
        var (booking, token) = await app.BookAfterAsync(email, Monday.AddDays(3));
        var newSlot = await app.FreeSlotAfterAsync(booking.StartUtc.AddDays(1));

        var tooLong = await app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            return await bookings.RescheduleAsync((await bookings.FindByTokenAsync(token, default))!, newSlot.StartUtc, "https://localhost", token, default,
                new string('x', ConsultationBooking.ReasonMaxLength + 1));
        });
        Assert.Contains("reason", Assert.IsType<BookingResult.Invalid>(tooLong).Errors.Keys);
        Assert.Equal(booking.StartUtc, (await BookingAsync(booking.Id)).StartUtc);

        var moved = await app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            return await bookings.RescheduleAsync((await bookings.FindByTokenAsync(token, default))!, newSlot.StartUtc, "https://localhost", token, default,
                "A clash with our board meeting.");
        });

        Assert.IsType<BookingResult.Moved>(moved);
        Assert.Equal("A clash with our board meeting.", (await BookingAsync(booking.Id)).RescheduleReason);
        var ownerMail = (await app.QueryAsync(db => db.EmailOutbox.AsNoTracking()
            .Where(mail => mail.Kind == "booking-rescheduled" && mail.ReplyTo == email).ToListAsync())).Single();
        Assert.Contains("A clash with our board meeting.", ownerMail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOwnerMovesABookingAndTheClientGetsTheUpdatedInvitationWithTheSameUidAndAHigherSequence()
    {
        var email = Address("owner-move");
        var (booking, _) = await app.BookAfterAsync(email, Monday.AddDays(8));
        var (owner, user) = await app.SignedInAsync(BackofficeRoles.Owner);
        var page = $"/umbraco/bookings/{booking.Id}";
        var choice = (await owner.GetDocumentAsync(page)).QuerySelectorAll("select[name=NewStart] option[value]")
            .Select(option => option.GetAttribute("value")!).First(value => value.Length > 0);
        var newStart = DateTime.Parse(choice, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

        var response = await owner.SubmitAsync(page, new() { ["NewStart"] = choice }, "form[action*='handler=Move']");

        Assert.Equal($"{page}?status=moved", response.Headers.Location?.PathAndQuery());
        var stored = await BookingAsync(booking.Id);
        Assert.Equal(newStart, stored.StartUtc);
        Assert.Equal(1, stored.Sequence);
        var invitations = (await app.MailsToAsync(email)).Where(mail => mail.Calendar is not null).ToList();
        Assert.Equal(["REQUEST", "REQUEST"], invitations.Select(mail => mail.CalendarMethod));
        Assert.Equal(Line(invitations[0].Calendar!, "UID"), Line(invitations[1].Calendar!, "UID"));
        Assert.Equal("SEQUENCE:1", Line(invitations[1].Calendar!, "SEQUENCE"));
        Assert.Equal($"DTSTART:{newStart:yyyyMMdd'T'HHmmss'Z'}", Line(invitations[1].Calendar!, "DTSTART"));
        Assert.Contains("we had to move", invitations[1].TextBody, StringComparison.Ordinal);
        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Action == OwnerAudit.BookingMoved && e.EntityId == booking.Id.ToString()));
        Assert.Equal(user.Id, audit.UserId);
    }

    [Fact]
    public async Task AskingTheClientForANewTimeMailsAFreshLinkAndTheOldOneStopsWorking()
    {
        var email = Address("new-time");
        var (booking, oldToken) = await app.BookAfterAsync(email, Monday.AddDays(9));
        var (owner, user) = await app.SignedInAsync(BackofficeRoles.Owner);
        var page = $"/umbraco/bookings/{booking.Id}";

        var response = await owner.SubmitAsync(page, new() { ["MessageToClient"] = "Talha is ill that day, sorry." }, "form[action*='handler=NewTime']");

        Assert.Equal($"{page}?status=new-time-requested", response.Headers.Location?.PathAndQuery());
        var mail = (await app.MailsToAsync(email)).Single(m => m.Kind == "booking-new-time-requested");
        Assert.Contains("Talha is ill that day, sorry.", mail.TextBody, StringComparison.Ordinal);
        var link = System.Text.RegularExpressions.Regex.Match(mail.TextBody, @"/bookings/manage/([A-Za-z0-9_-]+)").Groups[1].Value;
        Assert.NotEqual(oldToken, link);
        var site = app.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await site.GetAsync($"/bookings/manage/{link}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await site.GetAsync($"/bookings/manage/{oldToken}")).StatusCode);
        Assert.Equal(booking.StartUtc, (await BookingAsync(booking.Id)).StartUtc);
        var audit = await app.QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Action == OwnerAudit.BookingNewTimeRequested && e.EntityId == booking.Id.ToString()));
        Assert.Equal(user.Id, audit.UserId);
        Assert.DoesNotContain(link, audit.Details ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePrivateNoteNeverReachesTheClientAndTheOutcomeIsMarkedOnlyAfterTheMeeting()
    {
        const string note = "PRIVATE: pays late, ask for prepayment";
        var email = Address("note");
        var (booking, token) = await app.BookAfterAsync(email, Monday.AddDays(10));
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var page = $"/umbraco/bookings/{booking.Id}";

        // Before the meeting: a note, but no outcome yet.
        var early = await owner.SubmitAsync(page, new() { ["Outcome"] = nameof(BookingOutcome.Completed), ["OwnerNote"] = note }, "form[action*='handler=Outcome']");
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Contains("once it is over", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await owner.SubmitAsync(page, new() { ["OwnerNote"] = note }, "form[action*='handler=Outcome']");
        Assert.Equal($"{page}?status=outcome-saved", saved.Headers.Location?.PathAndQuery());
        Assert.Equal(note, (await BookingAsync(booking.Id)).OwnerNote);
        Assert.Equal(note, (await owner.GetDocumentAsync(page)).QuerySelector("#owner-note")!.TextContent.Trim());

        // Everything the client sees afterwards: the owner's move, a reminder, the manage page.
        var choice = (await owner.GetDocumentAsync(page)).QuerySelectorAll("select[name=NewStart] option[value]")
            .Select(option => option.GetAttribute("value")!).First(value => value.Length > 0);
        Assert.Equal($"{page}?status=moved", (await owner.SubmitAsync(page, new() { ["NewStart"] = choice }, "form[action*='handler=Move']")).Headers.Location?.PathAndQuery());
        var moved = await BookingAsync(booking.Id);
        await app.AtAsync(moved.StartUtc.AddHours(-1), () =>
            app.WithScopeAsync(services => services.GetRequiredService<BookingReminderService>().QueueDueAsync(default)));
        var clientMails = await app.MailsToAsync(email);
        Assert.Contains(clientMails, mail => mail.Kind == "booking-reminder");
        Assert.Contains(clientMails, mail => mail.Kind == "booking-rescheduled");
        Assert.All(clientMails, mail => Assert.DoesNotContain("pays late", mail.TextBody + mail.HtmlBody + mail.Calendar, StringComparison.Ordinal));
        var expertMails = await app.QueryAsync(db => db.EmailOutbox.AsNoTracking().Where(mail => mail.ReplyTo == email).ToListAsync());
        Assert.All(expertMails, mail => Assert.DoesNotContain("pays late", mail.TextBody + mail.HtmlBody, StringComparison.Ordinal));
        var manage = await app.CreateBrowser().GetAsync($"/bookings/manage/{token}");
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        Assert.DoesNotContain("pays late", await manage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // After the meeting: the client did not come.
        await app.AtAsync(moved.EndUtc.AddMinutes(1), async () =>
        {
            // A new sign-in: the earlier one's session has run out by then.
            (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
            var marked = await owner.SubmitAsync(page, new() { ["Outcome"] = nameof(BookingOutcome.NoShow), ["OwnerNote"] = note }, "form[action*='handler=Outcome']");
            Assert.Equal($"{page}?status=outcome-saved", marked.Headers.Location?.PathAndQuery());
            Assert.Equal("Client did not come", (await owner.GetDocumentAsync(page)).QuerySelector("#booking-outcome")!.TextContent);
        });
        Assert.Equal(BookingOutcome.NoShow, (await BookingAsync(booking.Id)).Outcome);
        var audit = await app.QueryAsync(db => db.AuditEntries.Where(e => e.Action == OwnerAudit.BookingOutcomeRecorded && e.EntityId == booking.Id.ToString()).ToListAsync());
        Assert.Equal(2, audit.Count);
        Assert.All(audit, entry => Assert.DoesNotContain("pays late", entry.Details ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnlyAdministratorsAndOwnersMayMoveABooking()
    {
        var (booking, _) = await app.BookAfterAsync(Address("editor"), Monday.AddDays(11));
        var slot = await app.FreeSlotAfterAsync(booking.StartUtc.AddDays(1));
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);

        var response = await editor.PostFormAsync($"/umbraco/bookings/{booking.Id}?handler=Move",
            [new("__RequestVerificationToken", await editor.AntiforgeryTokenAsync()), new("NewStart", slot.StartUtc.ToString("O", CultureInfo.InvariantCulture))]);

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden ||
                    response.Headers.Location?.PathAndQuery().StartsWith("/umbraco/access-denied", StringComparison.Ordinal) == true,
            $"An editor's move answered {(int)response.StatusCode} {response.Headers.Location}.");
        Assert.Equal(booking.StartUtc, (await BookingAsync(booking.Id)).StartUtc);
    }

    [Fact]
    public async Task TheWeekCalendarOpensOnTheWeekOfTheNextBookingAndPlacesItInTheRowOfItsHour()
    {
        // A time no other test of this class books near: nothing this week, one booking two weeks on.
        var now = new DateTime(2027, 5, 3, 9, 0, 0, DateTimeKind.Utc);
        await app.AtAsync(now, async () =>
        {
            var (booking, _) = await app.BookAfterAsync(Address("week"), now.AddDays(14));
            var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);

            var week = await owner.GetDocumentAsync("/umbraco/bookings/week?tz=UTC");

            var monday = DateOnly.FromDateTime(booking.StartUtc).AddDays(-(((int)booking.StartUtc.DayOfWeek + 6) % 7));
            Assert.Contains(monday.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture), week.QuerySelector("main h2")!.TextContent, StringComparison.Ordinal);
            Assert.NotNull(week.QuerySelector("#next-booking-week"));
            var entry = week.QuerySelectorAll(".bo-cal__booking").Single();
            var row = entry.Closest("tr")!;
            Assert.Equal($"{booking.StartUtc.Hour:00}:00", row.QuerySelector("th")!.TextContent);
            var cell = entry.Closest("td")!;
            // The row's first cell is its hour; the header row's first cell is the empty corner, which is no th.
            var column = cell.ParentElement!.Children.ToList().IndexOf(cell) - 1;
            Assert.Contains(booking.StartUtc.ToString("ddd d MMM", CultureInfo.InvariantCulture), week.QuerySelectorAll(".bo-cal thead th")[column].TextContent, StringComparison.Ordinal);
            Assert.Single(week.QuerySelectorAll(".bo-week__booking"));

            // In the week of the booking itself, the calendar stays on the current week.
            await app.AtAsync(booking.StartUtc.AddHours(-2), async () =>
            {
                var (later, _) = await app.SignedInAsync(BackofficeRoles.Owner);
                Assert.Null((await later.GetDocumentAsync("/umbraco/bookings/week?tz=UTC")).QuerySelector("#next-booking-week"));
            });
        });
    }

    private static string Address(string name) => $"owner-{name}-{Guid.NewGuid():N}@example.com";

    private Task<ConsultationBooking> BookingAsync(Guid id) => app.QueryAsync(db => db.Bookings.AsNoTracking().SingleAsync(b => b.Id == id));

    private static string Line(string calendar, string name) =>
        calendar.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n").Single(line => line.StartsWith(name + ":", StringComparison.Ordinal));
}
