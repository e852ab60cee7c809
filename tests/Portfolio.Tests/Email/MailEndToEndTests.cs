using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Email;

/// <summary>
/// From the API to a real SMTP server's Maildir: the request is stored with its mail in the outbox, the
/// dispatcher sends it, and it arrives under the Message-ID the outbox row was given when it was queued.
/// </summary>
public sealed class MailEndToEndTests(SmtpPortfolioApp app) : IClassFixture<SmtpPortfolioApp>
{
    private const string OwnerAddress = "owner@example.com";

    [Fact]
    public async Task AContactMessageIsStoredAndItsNotificationArrivesWithTheStoredMessageId()
    {
        var body = ApiCalls.ContactMessage();
        body["email"] = "contact.e2e@example.com";
        body["name"] = "Ada Lovelace";
        body["subject"] = "Größenordnung: scaling 規模 🚀";

        var response = await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await app.WithDbAsync(async db => Assert.Equal("contact.e2e@example.com", (await db.ContactMessages.SingleAsync(m => m.Id == id)).Email));
        var queued = Assert.Single(await SentMailsAboutAsync("contact.e2e@example.com", count: 1));
        var received = await app.Smtp.WaitForAsync(queued.MessageId);

        Assert.Equal(queued.MessageId, received.MessageId);
        Assert.Equal(queued.Subject, received.Header("Subject"));
        Assert.Equal("New message: Größenordnung: scaling 規模 🚀", received.Header("Subject"));
        Assert.Contains(OwnerAddress, received.Header("To"), StringComparison.Ordinal);
        Assert.Contains("contact.e2e@example.com", received.Header("Reply-To"), StringComparison.Ordinal);
        Assert.Equal(OwnerAddress, received.Header("X-RcptTo"));
        Assert.Contains(queued.TextBody.Split('\n')[0], received.Part("text/plain")!.Text, StringComparison.Ordinal);
        Assert.Contains("<blockquote", received.Part("text/html")!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABookingSendsTheClientTheExpertAndTheOwnerEachAValidInvitationOfTheSameMeeting()
    {
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 14))[0];
        var body = ApiCalls.Booking(slot.Start);
        body["email"] = "booking.e2e@example.com";
        body["name"] = "Grace Hopper";

        var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var booking = (await response.Content.ReadFromJsonAsync<BookingAnswer>())!;
        var queued = await SentMailsAboutAsync("booking.e2e@example.com", count: 3);
        var confirmation = queued.Single(mail => mail.Kind == "booking-confirmation");
        var notification = queued.Single(mail => mail.Kind == "booking-notification");
        var expertMail = queued.Single(mail => mail.Kind == "booking-expert-notification");
        var received = await app.Smtp.WaitForAllAsync([confirmation.MessageId, notification.MessageId, expertMail.MessageId], TimeSpan.FromSeconds(60));

        var invitation = received[0];
        Assert.Equal("booking.e2e@example.com", invitation.Header("X-RcptTo"));
        Assert.Equal(confirmation.Subject, invitation.Header("Subject"));
        var calendarPart = invitation.Part("text/calendar") ?? throw new Xunit.Sdk.XunitException("No text/calendar part in:\n" + invitation.Raw);
        Assert.Contains("method=REQUEST", calendarPart.ContentType.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        AssertValidRequest(calendarPart.Text, booking);
        var attachment = invitation.Parts.FirstOrDefault(part => part.ContentType.Contains("invite.ics", StringComparison.Ordinal)
                                                                || part.Headers.Any(h => h.Value.Contains("invite.ics", StringComparison.Ordinal)));
        Assert.NotNull(attachment);
        AssertValidRequest(attachment.Text, booking);

        var owner = received[1];
        Assert.Equal(OwnerAddress, owner.Header("X-RcptTo"));
        Assert.Contains("booking.e2e@example.com", owner.Header("Reply-To"), StringComparison.Ordinal);
        AssertValidRequest(owner.Part("text/calendar")!.Text, booking);

        var expert = received[2];
        Assert.Equal("talha@example.com", expert.Header("X-RcptTo"));
        Assert.Contains("booking.e2e@example.com", expert.Header("Reply-To"), StringComparison.Ordinal);
        var expertCalendar = expert.Part("text/calendar")!.Text;
        AssertValidRequest(expertCalendar, booking);
        // The same meeting in every calendar, and only the client's copy carries the manage link.
        Assert.Equal(Line(calendarPart.Text, "UID"), Line(expertCalendar, "UID"));
        Assert.Equal(Line(calendarPart.Text, "UID"), Line(owner.Part("text/calendar")!.Text, "UID"));
        Assert.DoesNotContain("/bookings/manage/", Unfolded(expertCalendar), StringComparison.Ordinal);
        Assert.DoesNotContain("/bookings/manage/", Unfolded(owner.Part("text/calendar")!.Text), StringComparison.Ordinal);
        Assert.DoesNotContain("/bookings/manage/", expert.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LineBreaksInNamesAndSubjectsNeverBecomeHeadersOfTheMailsThatArrive()
    {
        var contact = ApiCalls.ContactMessage();
        contact["email"] = "crlf.e2e@example.com";
        contact["name"] = "Mallory\r\nBcc: victim@example.com";
        contact["subject"] = "Hello\r\nBcc: victim@example.com\r\nX-Injected: yes";
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 14))[^1];
        var booking = ApiCalls.Booking(slot.Start);
        booking["email"] = "crlf.e2e@example.com";
        booking["name"] = "Mallory\r\nBcc: victim@example.com";
        booking["topic"] = "Topic\nX-Injected: yes";

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(contact))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(booking))).StatusCode);

        // The contact notification; the booking's client, expert and owner mails.
        var queued = await SentMailsAboutAsync("crlf.e2e@example.com", count: 4);
        var received = await app.Smtp.WaitForAllAsync(queued.Select(mail => mail.MessageId).ToList(), TimeSpan.FromSeconds(60));
        Assert.All(received, mail =>
        {
            Assert.DoesNotContain(mail.HeaderNames, name => name.Equals("Bcc", StringComparison.OrdinalIgnoreCase) || name.StartsWith("X-Injected", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("victim@example.com", mail.Header("X-RcptTo") ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain('\n', mail.Header("Subject")!);
        });
        var invitation = received.Single(mail => mail.Header("X-RcptTo") == "crlf.e2e@example.com");
        Assert.Contains("Mallory Bcc: victim@example.com", invitation.Header("To"), StringComparison.Ordinal);
        var notification = received.Single(mail => mail.Header("Subject")!.StartsWith("New message:", StringComparison.Ordinal));
        Assert.Equal("New message: Hello Bcc: victim@example.com X-Injected: yes", notification.Header("Subject"));
    }

    /// <summary>RFC 5545 structure, iTIP REQUEST, and the booking's own id, times and people.</summary>
    private static void AssertValidRequest(string calendar, BookingAnswer booking)
    {
        // Content lines end in CRLF (the part is base64 or quoted-printable, so they survive transport) and fold at 75 octets.
        Assert.EndsWith("\r\n", calendar, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", calendar.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var lines = calendar.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, line));
        var unfolded = string.Join("\n", lines).Replace("\n ", "", StringComparison.Ordinal).Split('\n');
        Assert.Equal("BEGIN:VCALENDAR", unfolded[0]);
        Assert.Equal("END:VCALENDAR", unfolded[^1]);
        Assert.Contains("VERSION:2.0", unfolded);
        Assert.Contains("METHOD:REQUEST", unfolded);
        Assert.Contains("BEGIN:VEVENT", unfolded);
        Assert.Contains("END:VEVENT", unfolded);
        Assert.Contains(unfolded, line => line.StartsWith($"UID:{booking.Id:D}@", StringComparison.Ordinal));
        Assert.Contains("SEQUENCE:0", unfolded);
        Assert.Contains($"DTSTART:{booking.Start.ToUniversalTime():yyyyMMdd'T'HHmmss'Z'}", unfolded);
        Assert.Contains($"DTEND:{booking.End.ToUniversalTime():yyyyMMdd'T'HHmmss'Z'}", unfolded);
        Assert.Contains(unfolded, line => line.StartsWith("ORGANIZER;", StringComparison.Ordinal) && line.EndsWith(":mailto:talha@example.com", StringComparison.Ordinal));
        Assert.Contains(unfolded, line => line.StartsWith("ATTENDEE;", StringComparison.Ordinal) && line.EndsWith(":mailto:talha@example.com", StringComparison.Ordinal));
        Assert.Contains(unfolded, line => line.StartsWith("ATTENDEE;", StringComparison.Ordinal) && line.EndsWith(":mailto:booking.e2e@example.com", StringComparison.Ordinal));
        Booking.Rfc5545.AssertValid(calendar, "REQUEST");
    }

    private static string Unfolded(string calendar) => calendar.Replace("\r\n ", "", StringComparison.Ordinal);

    private static string Line(string calendar, string name) =>
        Unfolded(calendar).Split("\r\n").Single(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    /// <summary>Waits until the dispatcher has sent <paramref name="count"/> mails about this address.</summary>
    private Task<List<EmailOutboxMessage>> SentMailsAboutAsync(string email, int count) =>
        SmtpPortfolioApp.WaitUntilAsync(() => app.MailsAboutAsync(email),
            mails => mails.Count == count && mails.All(mail => mail.Status == EmailStatus.Sent));
}
