using System.Net.Mail;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Email;

/// <summary>
/// The last line of defence against header injection: whatever reached an outbox row (the services clean
/// input first), the MIME message built from it carries no CR or LF in a header.
/// </summary>
public sealed class MailMessageFactoryTests
{
    [Fact]
    public void LineBreaksInAnOutboxRowNeverReachAHeader()
    {
        var mail = Row(subject: "Hello\r\nBcc: victim@example.com", toName: "Eve\nBcc: victim@example.com\rX-Injected: yes");

        using var message = MailMessageFactory.Create(mail, "TechNext <no-reply@example.com>");

        Assert.DoesNotContain('\r', message.Subject);
        Assert.DoesNotContain('\n', message.Subject);
        var to = Assert.Single(message.To);
        Assert.Equal("client@example.com", to.Address);
        Assert.DoesNotContain('\n', to.DisplayName);
        Assert.Empty(message.Bcc);
        Assert.Empty(message.CC);
    }

    [Fact]
    public async Task TheWrittenMessageHasNoInjectedHeadersAndKeepsItsMessageId()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-eml-").FullName;
        try
        {
            var mail = Row(subject: "Hello\r\nBcc: victim@example.com", toName: "Eve\r\nBcc: victim@example.com");
            using var message = MailMessageFactory.Create(mail, "TechNext <no-reply@example.com>");
            using var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = folder };

            await client.SendMailAsync(message);

            var written = ReceivedMail.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(folder))));
            Assert.Equal(mail.MessageId, written.MessageId);
            Assert.DoesNotContain(written.HeaderNames, name => name.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
            Assert.Equal("Hello  Bcc: victim@example.com", written.Header("Subject"));
            Assert.NotNull(written.Part("text/calendar"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

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
    };
}
