using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Contact;

namespace Portfolio.Tests.Site;

/// <summary>
/// The app with rate limits high enough for a class of form tests (every test client shares one "IP");
/// the limit itself is tested by <see cref="ContactFormRateLimitTests"/>.
/// </summary>
public sealed class FormPagesApp : PortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimiting:ContactWrites:PermitLimit", "1000");
        builder.UseSetting("RateLimiting:BookingWrites:PermitLimit", "1000");
    }
}

/// <summary>The contact form on /contact, posted as a browser without script would post it.</summary>
public sealed class ContactFormTests(FormPagesApp app) : IClassFixture<FormPagesApp>
{
    [Fact]
    public async Task TheContactPageHasALabelledFormWithEveryFieldLabelledAndIsNotOutputCached()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var first = await client.GetDocumentAsync("/contact");
        var second = await client.GetDocumentAsync("/contact");

        var section = first.QuerySelector("section#contact-form")!;
        Assert.NotNull(first.GetElementById(section.GetAttribute("aria-labelledby")!));
        var form = (IHtmlFormElement)section.QuerySelector("form[method=post]")!;
        foreach (var control in form.QuerySelectorAll("input:not([type=hidden]), textarea, select"))
        {
            Assert.NotNull(first.QuerySelector($"label[for='{control.Id}']"));
        }

        Assert.Equal("name", form.QuerySelector("#contact-name")!.GetAttribute("autocomplete"));
        Assert.Equal("email", form.QuerySelector("#contact-email")!.GetAttribute("type"));
        Assert.Equal("organization", form.QuerySelector("#contact-company")!.GetAttribute("autocomplete"));
        Assert.Equal("10", form.QuerySelector("#contact-message")!.GetAttribute("minlength"));
        Assert.Equal("5000", form.QuerySelector("#contact-message")!.GetAttribute("maxlength"));
        var trap = form.QuerySelector("input[name=website]")!;
        Assert.Equal("-1", trap.GetAttribute("tabindex"));
        Assert.Equal("off", trap.GetAttribute("autocomplete"));
        Assert.Equal("true", trap.ParentElement!.GetAttribute("aria-hidden"));
        // A cached page would hand every visitor the same token and the same timestamp.
        Assert.NotEqual(HtmlForm.Value(first, "#contact-message-form", "__RequestVerificationToken"),
            HtmlForm.Value(second, "#contact-message-form", "__RequestVerificationToken"));
        Assert.Empty(first.QuerySelectorAll("script:not([src]):not([type='application/ld+json'])"));
    }

    [Fact]
    public async Task FuzzFound_ANameAndSubjectThatLookLikeAGuidAndADateAreThankedForAndTheNextVisitWorks()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var page = await client.GetDocumentAsync("/contact");
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        var name = Guid.NewGuid().ToString();

        var response = await HtmlForm.SubmitAsync(client, page, "#contact-message-form", new()
        {
            ["name"] = name,
            ["email"] = $"sender-{Guid.NewGuid():N}@example.com",
            ["subject"] = "2026-12-06",
            ["message"] = "A subject that is only a date, and a name that is a GUID: TempData read both back as other types.",
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var confirmation = (await client.GetDocumentAsync("/contact?sent=1")).QuerySelector("#contact-form")!;
        Assert.Contains($"Thank you, {name}", confirmation.TextContent);
        Assert.Contains("“2026-12-06”", confirmation.TextContent);
        Assert.NotNull((await client.GetDocumentAsync("/contact")).QuerySelector("#contact-message-form"));
    }

    [Fact]
    public async Task AMessageSentThroughTheFormIsStoredAndTheOwnerIsNotified()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var page = await client.GetDocumentAsync("/contact");
        app.Clock.Advance(TimeSpan.FromSeconds(20));

        var response = await HtmlForm.SubmitAsync(client, page, "#contact-message-form", new()
        {
            ["name"] = "Grace Hopper",
            ["email"] = "grace@example.com",
            ["company"] = "Navy",
            ["subject"] = "A compiler question",
            ["message"] = "Could you review how our compiler pipeline handles backpressure?",
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/contact?sent=1", response.Headers.Location?.OriginalString);
        var thanks = await client.GetDocumentAsync("/contact?sent=1");
        var confirmation = thanks.QuerySelector("#contact-form")!;
        Assert.Contains("Thank you, Grace Hopper", confirmation.TextContent);
        Assert.Contains("A compiler question", confirmation.TextContent);
        Assert.Null(thanks.QuerySelector("#contact-message-form"));
        Assert.Equal("noindex", thanks.Meta("robots"));

        await app.WithDbAsync(async db =>
        {
            var stored = await db.ContactMessages.SingleAsync(m => m.Email == "grace@example.com");
            Assert.Equal(ContactMessageStatus.New, stored.Status);
            Assert.Equal("form", stored.Source);
            Assert.Equal("Navy", stored.Company);
            Assert.Null(stored.SpamReason);
            Assert.True(await db.EmailOutbox.AnyAsync(m => m.Kind == "contact-notification" && m.Subject.Contains("A compiler question")));
        });
    }

    [Fact]
    public async Task AFilledHoneypotIsStoredAsSpamWithTheReasonAndTheSenderIsThankedAllTheSame()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var page = await client.GetDocumentAsync("/contact");
        app.Clock.Advance(TimeSpan.FromSeconds(20));

        var response = await HtmlForm.SubmitAsync(client, page, "#contact-message-form", new()
        {
            ["name"] = "Bot",
            ["email"] = "bot@example.com",
            ["subject"] = "Cheap offers",
            ["message"] = "Buy our wonderful products today, honeypot edition.",
            [ContactFormGuard.HoneypotField] = "https://spam.example",
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/contact?sent=1", response.Headers.Location?.OriginalString);
        Assert.Contains("Thank you", (await client.GetDocumentAsync("/contact?sent=1")).QuerySelector("#contact-form")!.TextContent);
        await app.WithDbAsync(async db =>
        {
            var stored = await db.ContactMessages.SingleAsync(m => m.Email == "bot@example.com");
            Assert.Equal(ContactMessageStatus.Spam, stored.Status);
            Assert.Contains("honeypot", stored.SpamReason, StringComparison.OrdinalIgnoreCase);
            Assert.False(await db.EmailOutbox.AnyAsync(m => m.Subject.Contains("Cheap offers")), "Spam is not mailed to the owner.");
        });
    }

    [Fact]
    public async Task AFormPostedFasterThanAPersonTypesIsStoredAsSpamWithTheReason()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var page = await client.GetDocumentAsync("/contact");
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        var response = await HtmlForm.SubmitAsync(client, page, "#contact-message-form", new()
        {
            ["name"] = "Speedy",
            ["email"] = "speedy@example.com",
            ["subject"] = "Fast",
            ["message"] = "Posted one second after the form was shown.",
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        await app.WithDbAsync(async db =>
        {
            var stored = await db.ContactMessages.SingleAsync(m => m.Email == "speedy@example.com");
            Assert.Equal(ContactMessageStatus.Spam, stored.Status);
            Assert.Contains("faster than a person", stored.SpamReason);
        });
    }

    [Fact]
    public async Task InvalidInputIsShownAgainWithAnErrorSummaryFieldErrorsAndTheValuesKept()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var page = await client.GetDocumentAsync("/contact");
        var issued = HtmlForm.Value(page, "#contact-message-form", "timestamp");
        app.Clock.Advance(TimeSpan.FromSeconds(20));

        var response = await HtmlForm.SubmitAsync(client, page, "#contact-message-form", new()
        {
            ["name"] = "",
            ["email"] = "not-an-address",
            ["subject"] = "Kept subject",
            ["message"] = "Too short",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var again = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("Error:", again.Title);
        var links = again.QuerySelectorAll("#error-summary a").Select(a => (Href: a.GetAttribute("href"), Text: a.TextContent.Trim())).ToList();
        Assert.Equal(["#contact-name", "#contact-email", "#contact-message"], links.Select(link => link.Href));
        Assert.Contains(links, link => link.Text == "Enter an e-mail address like name@example.com.");
        Assert.Contains(links, link => link.Text == "A message must be at least 10 characters.");

        var email = again.QuerySelector("#contact-email")!;
        Assert.Equal("not-an-address", email.GetAttribute("value"));
        Assert.Equal("true", email.GetAttribute("aria-invalid"));
        Assert.Contains("contact-email-error", email.GetAttribute("aria-describedby")!.Split(' '));
        Assert.Contains("like name@example.com", again.GetElementById("contact-email-error")!.TextContent);
        Assert.Equal("Kept subject", again.QuerySelector("#contact-subject")!.GetAttribute("value"));
        Assert.Null(again.QuerySelector("#contact-subject")!.GetAttribute("aria-invalid"));
        Assert.Equal("Too short", again.QuerySelector("#contact-message")!.TextContent);
        // The time trap keeps measuring from the first view, so fixing a typo quickly is not "too fast".
        Assert.Equal(issued, HtmlForm.Value(again, "#contact-message-form", "timestamp"));
        await app.WithDbAsync(async db => Assert.False(await db.ContactMessages.AnyAsync(m => m.Subject == "Kept subject")));
    }

    [Fact]
    public async Task ScriptTagsAreStoredAsTextAndShownEncodedInTheThankYou()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var page = await client.GetDocumentAsync("/contact");
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        const string Subject = "<script>alert('subject')</script>";
        const string Message = "Hello <script>alert('message')</script> there, <b>bold</b>.";

        var response = await HtmlForm.SubmitAsync(client, page, "#contact-message-form", new()
        {
            ["name"] = "<img src=x onerror=alert(1)>",
            ["email"] = "xss@example.com",
            ["subject"] = Subject,
            ["message"] = Message,
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var html = await (await client.GetAsync("/contact?sent=1")).Content.ReadAsStringAsync();
        var thanks = Html.Parse(html).QuerySelector("#contact-form")!;
        Assert.Contains(Subject, thanks.TextContent);
        Assert.Empty(thanks.QuerySelectorAll("script, img"));
        Assert.DoesNotContain("<script>alert", html);
        await app.WithDbAsync(async db =>
        {
            var stored = await db.ContactMessages.SingleAsync(m => m.Email == "xss@example.com");
            Assert.Equal(Subject, stored.Subject);
            Assert.Equal(Message, stored.Message);
        });
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRejectedWith400()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var page = await client.GetDocumentAsync("/contact");
        app.Clock.Advance(TimeSpan.FromSeconds(20));

        var response = await HtmlForm.SubmitAsync(client, page, "#contact-message-form", new()
        {
            ["__RequestVerificationToken"] = null,
            ["name"] = "No Token",
            ["email"] = "notoken@example.com",
            ["subject"] = "Forged",
            ["message"] = "This post carries no antiforgery token at all.",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await app.WithDbAsync(async db => Assert.False(await db.ContactMessages.AnyAsync(m => m.Email == "notoken@example.com")));
    }
}

/// <summary>The app with a contact form limit of two posts per window.</summary>
public sealed class TightContactLimitApp : PortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimiting:ContactWrites:PermitLimit", "2");
        builder.UseSetting("RateLimiting:ContactWrites:WindowSeconds", "600");
    }
}

public sealed class ContactFormRateLimitTests(TightContactLimitApp app) : IClassFixture<TightContactLimitApp>
{
    [Fact]
    public async Task PostsOverTheLimitGetTheFriendly429PageWhileThePageStaysReadable()
    {
        var client = HtmlForm.CreateBrowserClient(app);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            var page = await client.GetDocumentAsync("/contact");
            app.Clock.Advance(TimeSpan.FromSeconds(20));
            last = await HtmlForm.SubmitAsync(client, page, "#contact-message-form", new()
            {
                ["name"] = "Repeat Sender",
                ["email"] = $"repeat{i}@example.com",
                ["subject"] = "Again",
                ["message"] = $"Message number {i} from the same address.",
            });
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter is not null, "A 429 says when to retry.");
        Assert.Equal("text/html", last.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many requests", await last.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/contact")).StatusCode);
    }
}

/// <summary>Fills in and posts a server-rendered form the way a browser would, cookies included.</summary>
internal static class HtmlForm
{
    /// <summary>A client that keeps cookies (the antiforgery cookie) and does not follow redirects.</summary>
    public static HttpClient CreateBrowserClient(PortfolioApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The value of a named field of the form.</summary>
    public static string? Value(IDocument page, string formSelector, string name) =>
        Fields(Form(page, formSelector)).LastOrDefault(field => field.Key == name).Value;

    /// <summary>
    /// Posts the form with its current values (hidden fields, checked radios, selected options), after
    /// applying <paramref name="changes"/>: a value replaces the field's, null leaves the field out.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, IDocument page, string formSelector, Dictionary<string, string?> changes)
    {
        var form = Form(page, formSelector);
        var fields = Fields(form).Where(field => !changes.ContainsKey(field.Key)).ToList();
        fields.AddRange(changes.Where(change => change.Value is not null).Select(change => new KeyValuePair<string, string>(change.Key, change.Value!)));
        var action = form.GetAttribute("action") is { Length: > 0 } value ? value : new Uri(page.Url).PathAndQuery;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private static IHtmlFormElement Form(IDocument page, string selector) =>
        page.QuerySelector(selector) as IHtmlFormElement ?? throw new InvalidOperationException($"No form matches {selector}.");

    private static List<KeyValuePair<string, string>> Fields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
        {
            var name = element.GetAttribute("name")!;
            switch (element)
            {
                case IHtmlInputElement { Type: "radio" or "checkbox" } choice:
                    if (choice.IsChecked)
                    {
                        fields.Add(new(name, choice.Value));
                    }

                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement area:
                    fields.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
            }
        }

        return fields;
    }
}
