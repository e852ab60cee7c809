using Microsoft.Extensions.Options;
using MimeKit;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Email;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Email;

/// <summary>
/// The MIME message built from an outbox row: the last line of defence against header injection (whatever reached a
/// row, no CR or LF reaches a header), the Message-ID and Date the row was queued with, and the invitation's parts.
/// </summary>
[ProviderIndependent]
public sealed class MimeMessageFactoryTests
{
    [Fact]
    public void AMessageTheFactoryMadeIsNotKeptAliveByTheFactory()
    {
        var factory = Factory();

        var made = MakeAndForget(factory);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The factory (a singleton in the app) outlives every message: nothing it holds may refer to one.
        Assert.False(made.IsAlive, "A message is still reachable after it was dropped: the factory keeps it alive.");
        GC.KeepAlive(factory);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference MakeAndForget(MimeMessageFactory factory) => new(factory.Create(Row(subject: "Booked", toName: "Ada")));

    [Fact]
    public void LineBreaksInAnOutboxRowNeverReachAHeader()
    {
        var mail = Row(subject: "Hello\r\nBcc: victim@example.com", toName: "Eve\nBcc: victim@example.com\rX-Injected: yes");

        var message = Factory().Create(mail);

        Assert.DoesNotContain('\r', message.Subject!);
        Assert.DoesNotContain('\n', message.Subject!);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(message.To));
        Assert.Equal("client@example.com", to.Address);
        Assert.DoesNotContain('\n', to.Name!);
        Assert.Empty(message.Bcc);
        Assert.Empty(message.Cc);
    }

    [Fact]
    public void TheWrittenMessageHasNoInjectedHeadersAndKeepsTheMessageIdAndDateItWasQueuedWith()
    {
        var mail = Row(subject: "Hello\r\nBcc: victim@example.com", toName: "Eve\r\nBcc: victim@example.com");

        var written = ReceivedMail.Parse(Factory().Create(mail).ToString());

        Assert.Equal(mail.MessageId, written.MessageId);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero), written.Message.Date);
        Assert.DoesNotContain(written.HeaderNames, name => name.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Hello  Bcc: victim@example.com", written.Header("Subject"));
    }

    [Fact]
    public void AnInvitationIsACalendarAlternativeWithItsMethodAndAnIcsAttachment()
    {
        var written = ReceivedMail.Parse(Factory().Create(Row(subject: "Booked", toName: "Ada")).ToString());

        Assert.Equal(["text/plain", "text/html", "text/calendar", "application/ics"], written.Parts.Select(part => part.MediaType));
        var calendar = written.Message.BodyParts.OfType<TextPart>().Single(part => part.ContentType.MimeType == "text/calendar");
        Assert.Equal("REQUEST", calendar.ContentType.Parameters["method"]);
        Assert.Equal("utf-8", calendar.ContentType.Charset, ignoreCase: true);
        var attachment = written.Message.Attachments.OfType<MimeKit.MimePart>().Single();
        Assert.Equal("invite.ics", attachment.FileName);
        Assert.Equal(written.Part("text/calendar")!.Text.ReplaceLineEndings(), written.Part("application/ics")!.Text.ReplaceLineEndings());
    }

    [Fact]
    public void EveryPartIsSevenBitSoNoServerOrRelayReencodesIt()
    {
        var mail = Row(subject: "Größenordnung 規模 🚀", toName: "Zoë");
        mail.TextBody = "Grüße — 規模 🚀";

        var raw = Factory().Create(mail).ToString();

        Assert.All(raw, character => Assert.True(character < 128, $"Non-ASCII character U+{(int)character:X4} on the wire"));
        Assert.Equal("Grüße — 規模 🚀", ReceivedMail.Parse(raw).Part("text/plain")!.Text.TrimEnd());
    }

    private static MimeMessageFactory Factory() =>
        new(Options.Create(new EmailOptions { From = "TechNext <no-reply@example.com>" }), new PortfolioPaths(Path.GetTempPath()));

    private static EmailOutboxMessage Row(string subject, string toName) => new()
    {
        MessageId = "<0193a1c45e6f7a8b9c0d1e2f3a4b5c6d@example.com>",
        ToAddress = "client@example.com",
        ToName = toName,
        ReplyTo = "owner@example.com",
        Subject = subject,
        TextBody = "Plain text",
        HtmlBody = "<p>HTML</p>",
        Calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
        CalendarMethod = "REQUEST",
        Kind = "booking-confirmation",
        CreatedUtc = new DateTime(2026, 11, 2, 9, 30, 0, DateTimeKind.Utc),
    };
}
