using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;
using Portfolio.Web.Content.Editing;

namespace Portfolio.Tests.Content;

/// <summary>Pages built from blocks at paths editors choose, and case studies linked from the experts and services involved.</summary>
public sealed class ContentPageTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    private const string Editor = "editor@example.com";

    private static ContentPage NewPage(string title, params Block[] blocks) => new()
    {
        Title = title,
        Intro = $"Introduction of {title}.",
        Blocks = [.. blocks],
    };

    [Fact]
    public async Task APageIsServedAtItsNestedPathOnlyOncePublishedAndAppearsInTheSitemap()
    {
        var client = app.CreateClient();
        var page = NewPage("Working Agreement",
            new RichTextBlock { Text = "## How we bill\n\nMonthly, **in arrears**." },
            new FaqBlock { Heading = "Billing questions", Entries = [new FaqEntry { Question = "Do you bill hourly?", Answer = "No, per week." }] },
            new FiguresBlock { Figures = [new Stat { Value = "48 h", Label = "Answer time" }] },
            new CallToActionBlock { Heading = "Ready to start?", ButtonLabel = "Write to us", ButtonUrl = "/contact" });
        var created = await app.WithContentAsync(content => content.CreateAsync(page, "legal/working-agreement", Editor));

        // A draft is not public, nor in the sitemap.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/legal/working-agreement")).StatusCode);
        Assert.DoesNotContain("/legal/working-agreement", await client.GetStringAsync("/sitemap.xml"));

        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        var html = await client.GetStringAsync("/legal/working-agreement");
        Assert.Contains("<h1>Working Agreement</h1>", html);
        Assert.Contains("<strong>in arrears</strong>", html);
        Assert.Contains("Do you bill hourly?", html);
        Assert.Contains("48 h", html);
        Assert.Contains("href=\"/contact\"", html);
        // The blocks keep their order.
        Assert.True(html.IndexOf("in arrears", StringComparison.Ordinal) < html.IndexOf("Ready to start?", StringComparison.Ordinal));
        Assert.Contains("/legal/working-agreement</loc>", await client.GetStringAsync("/sitemap.xml"));
        // Only the exact path: its parent is no page, and letter case leads to the canonical address.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/legal")).StatusCode);
        var plain = app.CreatePlainClient();
        var wrongCase = await plain.GetAsync("/Legal/Working-Agreement");
        Assert.Equal(HttpStatusCode.MovedPermanently, wrongCase.StatusCode);
        Assert.Equal("/legal/working-agreement", wrongCase.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("umbraco")]
    [InlineData("umbraco/content")]
    [InlineData("api/v1/anything")]
    [InlineData("health")]
    [InlineData("bookings/mine")]
    [InlineData("team")]
    [InlineData("services/extra")]
    [InlineData("case-studies/made-up")]
    [InlineData("engineering")]
    public async Task PathsOfTheAppsOwnRoutesAreRefusedWithAFieldError(string path)
    {
        var refused = await Assert.ThrowsAsync<DocumentValidationException>(() =>
            app.WithContentAsync(content => content.CreateAsync(NewPage("Shadow", new RichTextBlock { Text = "x" }), path, Editor)));
        Assert.Contains("belongs to the site itself", Assert.Single(refused.Errors["Slug"]));
    }

    [Fact]
    public async Task AFreePathIsAcceptedWhileMalformedPathsAreRefused()
    {
        // Near the app's own paths but not one of them: the rule is not "refuse everything".
        var created = await app.WithContentAsync(content => content.CreateAsync(NewPage("Free", new RichTextBlock { Text = "x" }), "teams/sitemap-xml", Editor));
        Assert.Equal("teams/sitemap-xml", created.Slug);
        foreach (var bad in new[] { "About", "a//b", "a/b/c/d/e", "with space", "dots.html", "trailing/" })
        {
            var refused = await Assert.ThrowsAsync<DocumentValidationException>(() =>
                app.WithContentAsync(content => content.CreateAsync(NewPage("Bad", new RichTextBlock { Text = "x" }), bad, Editor)));
            Assert.Contains("Slug", refused.Errors.Keys);
        }
    }

    [Fact]
    public async Task ChangingAPublishedPathRedirectsTheOldAddressToTheNewOne()
    {
        var client = app.CreatePlainClient();
        var page = NewPage("About Us", new RichTextBlock { Text = "We are small." });
        var created = await app.WithContentAsync(content => content.CreateAsync(page, "about-us", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/about-us")).StatusCode);

        await app.WithContentAsync(content => content.SaveDraftAsync(created.Key, page, "company/about", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));

        var moved = await client.GetAsync("/about-us");
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("/company/about", moved.Headers.Location?.OriginalString);
        Assert.Contains("We are small.", await (await client.GetAsync("/company/about")).Content.ReadAsStringAsync());

        await app.WithContentAsync(async content =>
        {
            await content.UnpublishAsync(created.Key, Editor);
            return 0;
        });
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/company/about")).StatusCode);
    }

    [Fact]
    public async Task BlockValidationErrorsAreReportedPerBlockField()
    {
        var page = NewPage("Broken Blocks",
            new RichTextBlock { Text = "" },
            new CallToActionBlock { Heading = "Go", ButtonLabel = "Click", ButtonUrl = "javascript:alert(1)" },
            new FaqBlock { Entries = [new FaqEntry { Question = "Only a question?" }] },
            new FiguresBlock());
        var refused = await Assert.ThrowsAsync<DocumentValidationException>(() =>
            app.WithContentAsync(content => content.CreateAsync(page, "broken-blocks", Editor)));

        Assert.Equal(["Blocks[0].Text", "Blocks[1].ButtonUrl", "Blocks[2].Entries[0].Answer", "Blocks[3].Figures"],
            refused.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ACaseStudyIsListedAndLinkedFromTheExpertsAndServicesItInvolves()
    {
        var client = app.CreateClient();
        await PublishAsync(new ExpertProfile { Name = "Case Expert", Role = "Architect", Summary = "Designs systems." }, "case-expert");
        await PublishAsync(new ExpertProfile { Name = "Other Expert", Role = "Engineer", Summary = "Builds systems." }, "other-expert");
        await PublishAsync(new Service { Title = "Case Service", Summary = "A service." }, "case-service");
        await PublishAsync(new Service { Title = "Unrelated Service", Summary = "Another service." }, "unrelated-service");
        await PublishAsync(new CaseStudy
        {
            Title = "Ledger Rebuild",
            Client = "Example Payments",
            Sector = "Fintech",
            Summary = "A ledger that no longer loses cents.",
            Challenge = "Double entries under load.",
            Approach = "An append-only ledger.",
            Outcomes = [new Stat { Value = "0", Label = "Lost transactions since" }],
            Experts = ["case-expert", "not-published-expert"],
            Services = ["case-service"],
        }, "ledger-rebuild");

        var listing = await client.GetStringAsync("/case-studies");
        Assert.Contains("href=\"/case-studies/ledger-rebuild\"", listing);
        var detail = await client.GetStringAsync("/case-studies/ledger-rebuild");
        Assert.Contains("href=\"/team/case-expert\"", detail);
        Assert.Contains("href=\"/services/case-service\"", detail);
        Assert.DoesNotContain("not-published-expert", detail);

        Assert.Contains("href=\"/case-studies/ledger-rebuild\"", await client.GetStringAsync("/team/case-expert"));
        Assert.Contains("href=\"/case-studies/ledger-rebuild\"", await client.GetStringAsync("/services/case-service"));
        Assert.DoesNotContain("/case-studies/ledger-rebuild", await client.GetStringAsync("/team/other-expert"));
        Assert.DoesNotContain("/case-studies/ledger-rebuild", await client.GetStringAsync("/services/unrelated-service"));
    }

    [Fact]
    public async Task TheRetentionBlockShowsTheRunningRetentionSettings()
    {
        var created = await app.WithContentAsync(content => content.CreateAsync(
            NewPage("Data We Keep", new RetentionFiguresBlock { Heading = "What we keep" }), "data-we-keep", Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
        var html = await app.CreateClient().GetStringAsync("/data-we-keep");
        var retention = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Portfolio.Web.Privacy.RetentionOptions>>().Value;
        Assert.Contains($"{retention.MessagesDays} days after you send it", html);
        Assert.Contains($"{retention.BookingsDays} days after the meeting ends", html);
    }

    [Fact]
    public void TheEditorFormReadsBlocksOfEachKindAndItsButtonsAddMoveAndRemoveThem()
    {
        var form = new FormCollection(new Dictionary<string, StringValues>
        {
            ["Document.Title"] = "Form Page",
            ["Document.Blocks[0].$type"] = "quote",
            ["Document.Blocks[0].Quote"] = "Fast and calm.",
            ["Document.Blocks[0].Author"] = "A Client",
            ["Document.Blocks[1].$type"] = "faq",
            ["Document.Blocks[1].Entries[0].Question"] = "Why?",
            ["Document.Blocks[1].Entries[0].Answer"] = "Because.",
            ["Document.Blocks[2].$type"] = "no-such-kind",
            ["Document.Blocks[2].Text"] = "lost",
        });
        var state = new DocumentEditorState();
        var page = (ContentPage)DocumentForm.Read(typeof(ContentPage), form, state);

        Assert.Collection(page.Blocks,
            block => Assert.Equal("Fast and calm.", Assert.IsType<QuoteBlock>(block).Quote),
            block => Assert.Equal("Because.", Assert.Single(Assert.IsType<FaqBlock>(block).Entries).Answer));
        Assert.Contains("Blocks", state.Errors.Keys);

        Assert.Equal("Blocks", DocumentForm.ApplyListCommand(page, "add:Blocks:callToAction"));
        Assert.IsType<CallToActionBlock>(page.Blocks[2]);
        Assert.Null(DocumentForm.ApplyListCommand(page, "add:Blocks"));
        Assert.Null(DocumentForm.ApplyListCommand(page, "add:Blocks:no-such-kind"));
        Assert.Equal("Blocks", DocumentForm.ApplyListCommand(page, "up:Blocks[2]"));
        Assert.Equal([typeof(QuoteBlock), typeof(CallToActionBlock), typeof(FaqBlock)], page.Blocks.Select(block => block.GetType()));
        Assert.Equal("Blocks[2].Entries", DocumentForm.ApplyListCommand(page, "add:Blocks[2].Entries"));
        Assert.Equal(2, ((FaqBlock)page.Blocks[2]).Entries.Count);
        Assert.Equal("Blocks", DocumentForm.ApplyListCommand(page, "remove:Blocks[0]"));
        Assert.Equal([typeof(CallToActionBlock), typeof(FaqBlock)], page.Blocks.Select(block => block.GetType()));

        // Stored and read back, each block keeps its kind.
        var stored = (ContentPage)DocumentTypeRegistry.Deserialize("page", DocumentTypeRegistry.Serialize(page));
        Assert.Equal(page.Blocks.Select(block => block.GetType()), stored.Blocks.Select(block => block.GetType()));
    }

    [Fact]
    public async Task TheHomePageFeaturesTheCaseStudyTheEditorPickedWithItsFiguresAndFallsBackToAPublishedOne()
    {
        CaseStudy Study(string title, string figure) => new()
        {
            Title = title, Client = $"Client of {title}", Summary = $"Summary of {title}.", Challenge = "Slow.", Approach = "Measured.",
            Outcomes = [new Stat { Value = figure, Label = "Faster" }],
            Quote = $"Quote about {title}.", QuoteAuthor = "CTO",
        };
        await PublishAsync(Study("Ledger Rewrite", "9x"), "ledger-rewrite");
        await PublishAsync(Study("Queue Rescue", "40%"), "queue-rescue");
        var home = await app.WithContentAsync(content => content.CreateAsync(
            new HomePage { Title = "Home", HeroHeading = "Hero", CaseStudyHeading = "Proof in production", FeaturedCaseStudy = "queue-rescue" }, "home", Editor));
        await app.WithContentAsync(content => content.PublishAsync(home.Key, Editor));

        var page = await app.CreateClient().GetDocumentAsync("/");
        var featured = page.QuerySelector("section[aria-labelledby='case-study-heading']");
        Assert.NotNull(featured);
        Assert.Equal("Proof in production", featured.QuerySelector("h2")!.TextContent.Trim());
        Assert.Equal("/case-studies/queue-rescue", featured.QuerySelector("h3 a")!.GetAttribute("href"));
        Assert.Contains("40%", featured.TextContent);
        Assert.Contains("Quote about Queue Rescue.", featured.TextContent);

        // A pick that is not published (here: unknown) falls back to a published case study rather than an empty band.
        var draft = await app.WithContentAsync(content => content.SaveDraftAsync(home.Key,
            new HomePage { Title = "Home", HeroHeading = "Hero", FeaturedCaseStudy = "no-such-study" }, "home", Editor));
        await app.WithContentAsync(content => content.PublishAsync(draft.Key, Editor));
        page = await app.CreateClient().GetDocumentAsync("/");
        var fallback = page.QuerySelector("section[aria-labelledby='case-study-heading'] h3 a")?.GetAttribute("href");
        Assert.StartsWith("/case-studies/", fallback);
        Assert.Equal("Featured case study", page.QuerySelector("#case-study-heading")!.TextContent.Trim());
    }

    private async Task PublishAsync(IDocument document, string slug)
    {
        var created = await app.WithContentAsync(content => content.CreateAsync(document, slug, Editor));
        await app.WithContentAsync(content => content.PublishAsync(created.Key, Editor));
    }
}
