using System.Net.Mail;
using System.Net.Mime;
using System.Text;

namespace Portfolio.Web.Email;

/// <summary>Builds the MIME message for an outbox row: plain text, HTML and, for bookings, a text/calendar part.</summary>
public static class MailMessageFactory
{
    public static MailMessage Create(EmailOutboxMessage mail, string from)
    {
        var message = new MailMessage
        {
            From = new MailAddress(from),
            Subject = HeaderSafe(mail.Subject),
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
        };
        message.To.Add(new MailAddress(mail.ToAddress, HeaderSafe(mail.ToName)));
        if (!string.IsNullOrEmpty(mail.ReplyTo))
        {
            message.ReplyToList.Add(new MailAddress(mail.ReplyTo));
        }

        // Fixed when the mail was queued: a retry sends the very same message.
        message.Headers.Add("Message-ID", mail.MessageId);

        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.TextBody, Encoding.UTF8, MediaTypeNames.Text.Plain));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.HtmlBody, Encoding.UTF8, MediaTypeNames.Text.Html));
        if (mail.Calendar is not null)
        {
            var method = mail.CalendarMethod ?? "REQUEST";
            var calendarType = new ContentType("text/calendar") { CharSet = "utf-8" };
            calendarType.Parameters.Add("method", method);
            message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.Calendar, calendarType));

            var attachment = Attachment.CreateAttachmentFromString(mail.Calendar, "invite.ics", Encoding.UTF8, "application/ics");
            message.Attachments.Add(attachment);
        }

        return message;
    }

    /// <summary>Header values never carry CR or LF, whatever reached the outbox (no header injection).</summary>
    public static string HeaderSafe(string value) =>
        string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is '\r' or '\n' or '\t' || char.IsControl(source[i]) ? ' ' : source[i];
            }
        }).Trim();
}
