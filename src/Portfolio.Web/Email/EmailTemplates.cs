using System.Text;
using System.Text.Encodings.Web;

namespace Portfolio.Web.Email;

/// <summary>A rendered mail: subject, plain text and HTML.</summary>
public sealed record RenderedEmail(string Subject, string Text, string Html);

/// <summary>
/// Builds both bodies of a mail from one description: a greeting, paragraphs, labelled facts and an
/// optional button. Every value is HTML-encoded in the HTML body; the text body is plain text.
/// </summary>
public sealed class EmailTemplate(string subject)
{
    private readonly List<(string Kind, string First, string Second)> _blocks = [];

    public EmailTemplate Paragraph(string text)
    {
        _blocks.Add(("p", text, ""));
        return this;
    }

    public EmailTemplate Fact(string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            _blocks.Add(("fact", label, value));
        }

        return this;
    }

    /// <summary>Multi-line text quoted as it was written (a contact message, booking notes).</summary>
    public EmailTemplate Quote(string text)
    {
        _blocks.Add(("quote", text, ""));
        return this;
    }

    public EmailTemplate Button(string label, string url)
    {
        _blocks.Add(("button", label, url));
        return this;
    }

    public RenderedEmail Render(string siteName)
    {
        var text = new StringBuilder();
        var html = new StringBuilder();
        var encode = HtmlEncoder.Default;
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(encode.Encode(subject))
            .Append("</title></head><body style=\"font-family:system-ui,sans-serif;color:#0f172a;max-width:600px;margin:0 auto;padding:24px\">");
        var inFacts = false;
        foreach (var (kind, first, second) in _blocks)
        {
            if (kind != "fact" && inFacts)
            {
                html.Append("</table>");
                inFacts = false;
            }

            switch (kind)
            {
                case "p":
                    text.Append(first).Append("\n\n");
                    html.Append("<p>").Append(encode.Encode(first)).Append("</p>");
                    break;
                case "fact":
                    text.Append(first).Append(": ").Append(second).Append('\n');
                    if (!inFacts)
                    {
                        html.Append("<table role=\"presentation\" style=\"border-collapse:collapse;margin:16px 0\">");
                        inFacts = true;
                    }

                    html.Append("<tr><th style=\"text-align:left;padding:4px 12px 4px 0;vertical-align:top\">")
                        .Append(encode.Encode(first))
                        .Append("</th><td style=\"padding:4px 0\">")
                        .Append(encode.Encode(second).Replace("&#xA;", "<br>", StringComparison.Ordinal))
                        .Append("</td></tr>");
                    break;
                case "quote":
                    text.Append('\n');
                    foreach (var line in first.Split('\n'))
                    {
                        text.Append("> ").Append(line.TrimEnd('\r')).Append('\n');
                    }

                    text.Append('\n');
                    html.Append("<blockquote style=\"border-left:4px solid #38bdf8;margin:16px 0;padding:8px 16px;white-space:pre-wrap\">")
                        .Append(encode.Encode(first))
                        .Append("</blockquote>");
                    break;
                case "button":
                    text.Append(first).Append(": ").Append(second).Append("\n\n");
                    html.Append("<p><a href=\"").Append(encode.Encode(second))
                        .Append("\" style=\"display:inline-block;background:#0369a1;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none\">")
                        .Append(encode.Encode(first)).Append("</a></p>");
                    break;
            }
        }

        if (inFacts)
        {
            html.Append("</table>");
        }

        text.Append("— ").Append(siteName).Append('\n');
        html.Append("<p style=\"color:#475569\">— ").Append(encode.Encode(siteName)).Append("</p></body></html>");
        return new RenderedEmail(subject, text.ToString(), html.ToString());
    }
}
