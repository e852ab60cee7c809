using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Booking;

/// <summary>
/// The meeting reaches everyone's calendar: the client, the expert and the owner each get the invitation of the same
/// event (the expert organizes it, expert and client attend), every change updates all three, and the place of the
/// meeting (the sample expert Talha has a room link made per booking) is in the API's answer, every mail, the manage
/// page and the invitation.
/// </summary>
public sealed partial class InvitationAndPlaceTests(UnthrottledPortfolioApp app) : IClassFixture<UnthrottledPortfolioApp>
{
    [Fact]
    public async Task TheExpertAndTheOwnerGetTheInvitationOfTheMeetingOfTheExpertWithTheClient()
    {
        var (booking, _) = await BookAsync("invite.everyone@example.com", slotIndex: 0);

        var mails = await CalendarMailsAsync("invite.everyone@example.com");

        Assert.Equal(["booking-confirmation", "booking-expert-notification", "booking-notification"], mails.Select(mail => mail.Kind).Order());
        Assert.Equal(["invite.everyone@example.com", "owner@example.com", "talha@example.com"], mails.Select(mail => mail.ToAddress).Order());
        foreach (var mail in mails)
        {
            Assert.Equal("REQUEST", mail.CalendarMethod);
            Rfc5545.AssertValid(mail.Calendar!, "REQUEST");
            var lines = Unfold(mail.Calendar!);
            Assert.Equal($"UID:{booking.Id:D}@example.com", Line(lines, "UID"));
            Assert.Equal("SEQUENCE:0", Line(lines, "SEQUENCE"));
            Assert.Contains("ORGANIZER;CN=\"Talha\":mailto:talha@example.com", lines);
            Assert.Contains("ATTENDEE;CN=\"Talha\";ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:talha@example.com", lines);
            Assert.Contains(lines, line => line.StartsWith("ATTENDEE;CN=\"Grace Hopper\";", StringComparison.Ordinal)
                                           && line.EndsWith(":mailto:invite.everyone@example.com", StringComparison.Ordinal));
        }

        // The manage link is the client's alone: not in the expert's or the owner's mail or calendar.
        Assert.All(mails.Where(mail => mail.Kind != "booking-confirmation"), mail =>
        {
            Assert.DoesNotContain("/bookings/manage/", mail.TextBody + mail.HtmlBody + Unfolded(mail.Calendar!), StringComparison.Ordinal);
            Assert.Equal("invite.everyone@example.com", mail.ReplyTo);
        });
    }

    [Fact]
    public async Task AMoveAndACancellationUpdateEveryonesCalendarWithTheSameUidAndAHigherSequence()
    {
        var (booking, token) = await BookAsync("invite.changes@example.com", slotIndex: 1);
        var newStart = (await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-03", 28))[^2].Start;

        var moved = await WithBookingsAsync(async service =>
            await service.RescheduleAsync((await service.FindByTokenAsync(token, default))!, newStart, "http://localhost", token, default));
        Assert.IsType<BookingResult.Moved>(moved);
        var cancelled = await WithBookingsAsync(async service =>
            await service.CancelAsync((await service.FindByTokenAsync(token, default))!, byOwner: false, default));
        Assert.IsType<BookingResult.Cancelled>(cancelled);

        var mails = await CalendarMailsAsync("invite.changes@example.com");
        foreach (var recipient in new[] { "invite.changes@example.com", "talha@example.com", "owner@example.com" })
        {
            var theirs = mails.Where(mail => mail.ToAddress == recipient).ToList();
            Assert.Equal(["REQUEST", "REQUEST", "CANCEL"], theirs.Select(mail => mail.CalendarMethod));
            Assert.All(theirs, mail => Rfc5545.AssertValid(mail.Calendar!, mail.CalendarMethod));
            Assert.All(theirs, mail => Assert.Equal($"UID:{booking.Id:D}@example.com", Line(Unfold(mail.Calendar!), "UID")));
            Assert.Equal(["SEQUENCE:0", "SEQUENCE:1", "SEQUENCE:2"], theirs.Select(mail => Line(Unfold(mail.Calendar!), "SEQUENCE")));
            Assert.Equal($"DTSTART:{newStart:yyyyMMdd'T'HHmmss'Z'}", Line(Unfold(theirs[1].Calendar!), "DTSTART"));
            Assert.Equal("STATUS:CANCELLED", Line(Unfold(theirs[2].Calendar!), "STATUS"));
        }

        Assert.Equal(["booking-expert-notification", "booking-expert-rescheduled", "booking-expert-cancelled"],
            mails.Where(mail => mail.ToAddress == "talha@example.com").Select(mail => mail.Kind));
    }

    [Fact]
    public async Task TheRoomLinkIsMadeOnceFromTheTemplateAndStaysTheSameWhenTheBookingMoves()
    {
        var (first, token) = await BookAsync("room.link@example.com", slotIndex: 2);
        var (second, _) = await BookAsync("room.link.other@example.com", slotIndex: 3);

        var link = first.Location!.Url!;
        Assert.Equal("video", first.Location.Kind);
        Assert.Equal(link, first.Location.Value);
        Assert.Matches(RoomLink(), link);
        Assert.Matches(RoomLink(), second.Location!.Url!);
        Assert.NotEqual(link, second.Location.Url);

        var newStart = (await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-03", 28))[^3].Start;
        var moved = Assert.IsType<BookingResult.Moved>(await WithBookingsAsync(async service =>
            await service.RescheduleAsync((await service.FindByTokenAsync(token, default))!, newStart, "http://localhost", token, default)));

        Assert.Equal(link, moved.Confirmation.Location!.Url);
        await app.WithDbAsync(async db =>
        {
            var stored = await db.Bookings.AsNoTracking().SingleAsync(b => b.Id == first.Id);
            Assert.Equal(MeetingLocationKind.VideoRoom, stored.LocationKind);
            Assert.Equal(link, stored.LocationValue);
        });
        var invitations = (await CalendarMailsAsync("room.link@example.com")).Where(mail => mail.ToAddress == "room.link@example.com").ToList();
        Assert.Equal(2, invitations.Count);
        Assert.All(invitations, mail => Assert.Equal("LOCATION:" + link, Line(Unfold(mail.Calendar!), "LOCATION")));
        Assert.All(invitations, mail => Assert.Equal("URL:" + link, Line(Unfold(mail.Calendar!), "URL")));
    }

    [Fact]
    public async Task ThePlaceIsInEveryMailOnTheManagePageAndInTheInvitation()
    {
        var (booking, token) = await BookAsync("place.everywhere@example.com", slotIndex: 4);
        var link = booking.Location!.Url!;

        var mails = await CalendarMailsAsync("place.everywhere@example.com");
        Assert.Equal(3, mails.Count);
        Assert.All(mails, mail =>
        {
            Assert.Contains("Video call: " + link, mail.TextBody, StringComparison.Ordinal);
            Assert.Contains(link, mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains(link, Line(Unfold(mail.Calendar!), "LOCATION"), StringComparison.Ordinal);
        });
        var page = await app.CreateClient().GetDocumentAsync("/bookings/manage/" + token);
        var place = page.QuerySelector("#booking-location a")!;
        Assert.Equal(link, place.GetAttribute("href"));
        Assert.Equal("Video call", page.QuerySelector("#booking-location")!.ParentElement!.QuerySelector("dt")!.TextContent);
    }

    [Fact]
    public async Task TheManagePagesCalendarFileIsTheSameMeetingAsTheInvitationWithItsPlace()
    {
        var (booking, token) = await BookAsync("place.download@example.com", slotIndex: 6);
        var link = booking.Location!.Url!;
        var invitation = Unfold((await CalendarMailsAsync("place.download@example.com")).Single(mail => mail.Kind == "booking-confirmation").Calendar!);

        var response = await app.CreateClient().GetAsync($"/bookings/manage/{token}?handler=Ics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        var calendar = await response.Content.ReadAsStringAsync();
        Rfc5545.AssertValid(calendar, method: null);
        var lines = Unfold(calendar);
        Assert.Equal(Line(invitation, "UID"), Line(lines, "UID"));
        Assert.Equal(Line(invitation, "DTSTART"), Line(lines, "DTSTART"));
        Assert.Equal("LOCATION:" + link, Line(lines, "LOCATION"));
        Assert.Equal("URL:" + link, Line(lines, "URL"));
        Assert.Contains(lines, line => line.StartsWith("DESCRIPTION:", StringComparison.Ordinal) && line.Contains("/bookings/manage/" + token, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith("METHOD", StringComparison.Ordinal) || line.StartsWith("ATTENDEE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnExpertWithoutAnAddressGetsNoMailAndAPhoneNumberIsThePlaceWithoutALink()
    {
        await ChangeExpertAsync("maya-lindqvist", profile => profile with
        {
            Email = "",
            Availability = profile.Availability with { Location = new MeetingLocation { Kind = MeetingLocationKind.Phone, Value = "+44 20 7946 0000" } },
        });
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "maya-lindqvist", "2026-11-03", 28))[0];
        var body = ApiCalls.Booking(slot.Start, "maya-lindqvist");
        body["email"] = "no.expert.mail@example.com";

        var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var booking = (await response.Content.ReadFromJsonAsync<BookingAnswer>())!;
        Assert.Equal(new LocationAnswer("phone", "+44 20 7946 0000", null), booking.Location);
        var mails = await CalendarMailsAsync("no.expert.mail@example.com");
        Assert.Equal(["booking-confirmation", "booking-notification"], mails.Select(mail => mail.Kind).Order());
        Assert.All(mails, mail =>
        {
            Rfc5545.AssertValid(mail.Calendar!, "REQUEST");
            var lines = Unfold(mail.Calendar!);
            Assert.Equal(@"LOCATION:+44 20 7946 0000", Line(lines, "LOCATION"));
            Assert.DoesNotContain(lines, line => line.StartsWith("URL:", StringComparison.Ordinal));
            Assert.Single(lines, line => line.StartsWith("ATTENDEE", StringComparison.Ordinal));
            Assert.Contains("Phone: +44 20 7946 0000", mail.TextBody, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task EveryCalendarInTheOutboxFollowsRfc5545()
    {
        var (_, token) = await BookAsync("rfc.all@example.com", slotIndex: 5);
        await WithBookingsAsync(async service => await service.CancelAsync((await service.FindByTokenAsync(token, default))!, byOwner: true, default));

        var calendars = await app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking()
            .Where(mail => mail.Calendar != null).Select(mail => new { mail.Calendar, mail.CalendarMethod }).ToListAsync());

        Assert.Contains(calendars, calendar => calendar.CalendarMethod == "CANCEL");
        Assert.All(calendars, calendar => Rfc5545.AssertValid(calendar.Calendar!, calendar.CalendarMethod));
    }

    private async Task<(BookingAnswer Booking, string Token)> BookAsync(string email, int slotIndex)
    {
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 28))[slotIndex];
        var body = ApiCalls.Booking(slot.Start);
        body["email"] = email;
        body["name"] = "Grace Hopper";
        var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var booking = (await response.Content.ReadFromJsonAsync<BookingAnswer>())!;
        return (booking, booking.ManageUrl[(booking.ManageUrl.LastIndexOf('/') + 1)..]);
    }

    private Task ChangeExpertAsync(string slug, Func<ExpertProfile, ExpertProfile> change) =>
        app.WithScopeAsync(async services =>
        {
            var content = services.GetRequiredService<ContentService>();
            var item = (await content.FindItemAsync("expertProfile", slug))!;
            var draft = (await content.GetDraftAsync(item.Id))!;
            await content.SaveDraftAsync(item.Id, change((ExpertProfile)draft.Document), draft.Slug, "test");
            await content.PublishAsync(item.Id, "test");
            await services.GetRequiredService<PublishedContentCache>().InvalidateAsync(default);
        });

    private Task<BookingResult> WithBookingsAsync(Func<BookingService, Task<BookingResult>> work) =>
        app.WithScopeAsync(services => work(services.GetRequiredService<BookingService>()));

    /// <summary>The mails with an invitation about the client's booking: the client's own, the expert's and the owner's (both reply to the client).</summary>
    private Task<List<EmailOutboxMessage>> CalendarMailsAsync(string email) =>
        app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking()
            .Where(mail => (mail.ToAddress == email || mail.ReplyTo == email) && mail.Calendar != null)
            .OrderBy(mail => mail.Id)
            .ToListAsync());

    private static string Unfolded(string calendar) => calendar.Replace("\r\n ", "", StringComparison.Ordinal);

    private static List<string> Unfold(string calendar) => Unfolded(calendar).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>The one line of the VEVENT (before any VALARM) with this property.</summary>
    private static string Line(List<string> lines, string name) =>
        Assert.Single(lines.TakeWhile(line => line != "BEGIN:VALARM"), line => line.StartsWith(name + ":", StringComparison.Ordinal));

    [GeneratedRegex("^https://meet\\.example/talha-[a-z2-9]{12}$")]
    private static partial Regex RoomLink();
}
