using System.Net;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Contact;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>The owner's inbox at /umbraco/messages: tabs, opening, marking, "not spam", reply link, delete, and who may do it.</summary>
public sealed class OwnerMessagesTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    [Fact]
    public async Task TheTabsCountMessagesByStateAndOpeningANewMessageMarksItRead()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var email = $"tabs-{Guid.NewGuid():N}@example.com";
        var fresh = await app.AddMessageAsync(email, subject: "Fresh question");
        await app.AddMessageAsync(email, ContactMessageStatus.Handled, subject: "Old question");

        var inbox = await owner.GetDocumentAsync("/umbraco/messages");
        var counts = await app.QueryAsync(db => db.ContactMessages.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        foreach (var (tab, status) in new[] { ("New", ContactMessageStatus.New), ("Handled", ContactMessageStatus.Handled) })
        {
            var link = inbox.QuerySelectorAll("nav.bo-tabs a").Single(a => a.TextContent.Trim().StartsWith(tab, StringComparison.Ordinal));
            Assert.Equal(counts.Single(c => c.Key == status).Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                link.QuerySelector(".bo-count")!.TextContent);
        }

        Assert.Contains(inbox.QuerySelectorAll("main table a"), a => a.TextContent == "Fresh question");
        Assert.DoesNotContain(inbox.QuerySelectorAll("main table a"), a => a.TextContent == "Old question");
        Assert.Contains((await owner.GetDocumentAsync("/umbraco/messages?tab=handled")).QuerySelectorAll("main table a"), a => a.TextContent == "Old question");

        var opened = await owner.GetDocumentAsync($"/umbraco/messages/{fresh.Id}");
        Assert.Equal("Fresh question", opened.QuerySelector("h1")!.TextContent);
        var stored = await app.FindMessageAsync(fresh.Id);
        Assert.Equal(ContactMessageStatus.Read, stored!.Status);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, stored.ReadUtc);
        Assert.Contains((await owner.GetDocumentAsync("/umbraco/messages?tab=read")).QuerySelectorAll("main table a"), a => a.TextContent == "Fresh question");
    }

    [Fact]
    public async Task TheOwnerMarksAMessageHandledAndBackToNewAndEachChangeIsAudited()
    {
        var (owner, user) = await app.SignedInAsync(BackofficeRoles.Owner);
        var message = await app.AddMessageAsync($"mark-{Guid.NewGuid():N}@example.com");
        var page = $"/umbraco/messages/{message.Id}";

        var handled = await owner.SubmitAsync(page, [], "form[action*='handler=Handled']");
        Assert.Equal($"{page}?status=handled", handled.Headers.Location?.PathAndQuery());
        Assert.Equal(ContactMessageStatus.Handled, (await app.FindMessageAsync(message.Id))!.Status);

        var renewed = await owner.SubmitAsync(page, [], "form[action*='handler=New']");
        Assert.Equal($"{page}?status=new", renewed.Headers.Location?.PathAndQuery());
        Assert.Equal(ContactMessageStatus.New, (await app.FindMessageAsync(message.Id))!.Status);

        var audit = await app.QueryAsync(db => db.AuditEntries.Where(e => e.EntityId == message.Id.ToString()).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(["Handled", "New"], audit.Select(entry => entry.Details));
        Assert.All(audit, entry => Assert.Equal(user.Id, entry.UserId));
        Assert.All(audit, entry => Assert.Equal(OwnerAudit.MessageMarked, entry.Action));
    }

    [Fact]
    public async Task SuspectedSpamShowsWhyItWasHeldAndNotSpamMovesItToNew()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var held = await app.AddMessageAsync($"spam-{Guid.NewGuid():N}@example.com", ContactMessageStatus.Spam, subject: "Cheap links", spamReason: "Contains 7 links");

        var spamTab = await owner.GetDocumentAsync("/umbraco/messages?tab=spam");
        var row = spamTab.QuerySelectorAll("main tbody tr").Single(tr => tr.TextContent.Contains("Cheap links", StringComparison.Ordinal));
        Assert.Contains("Contains 7 links", row.TextContent, StringComparison.Ordinal);

        // Opening suspected spam does not file it as read.
        var opened = await owner.GetDocumentAsync($"/umbraco/messages/{held.Id}");
        Assert.Contains("Contains 7 links", opened.QuerySelector(".bo-alert--warning")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(ContactMessageStatus.Spam, (await app.FindMessageAsync(held.Id))!.Status);

        var moved = await owner.SubmitAsync($"/umbraco/messages/{held.Id}", [], "form[action*='handler=NotSpam']");
        Assert.Equal($"/umbraco/messages/{held.Id}?status=not-spam", moved.Headers.Location?.PathAndQuery());
        var stored = (await app.FindMessageAsync(held.Id))!;
        Assert.Equal(ContactMessageStatus.New, stored.Status);
        Assert.Null(stored.SpamReason);
        Assert.Contains((await owner.GetDocumentAsync("/umbraco/messages?tab=new")).QuerySelectorAll("main table a"), a => a.TextContent == "Cheap links");
    }

    [Fact]
    public async Task DeletingAMessageNeedsTheConfirmationTick()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var message = await app.AddMessageAsync($"delete-{Guid.NewGuid():N}@example.com");
        var page = $"/umbraco/messages/{message.Id}";

        var unconfirmed = await owner.SubmitAsync(page, [], "form[action*='handler=Delete']");
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Contains("Tick the box", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(await app.FindMessageAsync(message.Id));

        var confirmed = await owner.SubmitAsync(page, new() { ["ConfirmDelete"] = "true" }, "form[action*='handler=Delete']");
        Assert.Equal("/umbraco/messages?tab=read&status=deleted", confirmed.Headers.Location?.PathAndQuery());
        Assert.Null(await app.FindMessageAsync(message.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(page)).StatusCode);
        Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(e => e.Action == OwnerAudit.MessageDeleted && e.EntityId == message.Id.ToString())));
    }

    [Fact]
    public async Task WhatTheSenderWroteIsShownAsTextAndTheReplyLinkQuotesItSafely()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var text = "<script>alert('x')</script>\nSecond line & more?\ncc=evil@example.com";
        var message = await app.AddMessageAsync($"enc-{Guid.NewGuid():N}@example.com", subject: "<b>Hi</b> & welcome", text: text);

        var response = await owner.GetAsync($"/umbraco/messages/{message.Id}");
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Hi</b>", html, StringComparison.Ordinal);
        var page = Html.Parse(html);
        Assert.Equal(text, page.QuerySelector(".bo-message")!.TextContent);

        var reply = page.QuerySelectorAll("a").Single(a => a.TextContent == "Reply by e-mail").GetAttribute("href")!;
        Assert.StartsWith($"mailto:{message.Email}?subject=", reply, StringComparison.Ordinal);
        var query = reply[(reply.IndexOf('?') + 1)..].Split('&').Select(part => part.Split('=')).ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair[1]));
        Assert.Equal(["subject", "body"], query.Keys);
        Assert.Equal("Re: <b>Hi</b> & welcome", query["subject"]);
        Assert.Contains("> <script>alert('x')</script>\r\n> Second line & more?\r\n> cc=evil@example.com\r\n", query["body"], StringComparison.Ordinal);
        Assert.Contains("Ada Lovelace wrote:", query["body"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATabIsPagedTwentyAtATimeNewestFirst()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var start = app.Clock.GetUtcNow();
        try
        {
            for (var i = 0; i < OwnerInbox.PageSize + 2; i++)
            {
                app.Clock.Advance(TimeSpan.FromMinutes(1));
                await app.AddMessageAsync($"paged-{i}@example.com", ContactMessageStatus.Handled, subject: $"Paged {i:00}");
            }

            var first = await owner.GetDocumentAsync("/umbraco/messages?tab=handled");
            var subjects = first.QuerySelectorAll("main tbody tr td:first-child a").Select(a => a.TextContent).ToList();
            Assert.Equal(OwnerInbox.PageSize, subjects.Count);
            Assert.Equal($"Paged {OwnerInbox.PageSize + 1:00}", subjects[0]);
            var next = first.QuerySelectorAll("nav.bo-pager a").Single(a => a.TextContent == "Next page").GetAttribute("href");
            Assert.Equal("/umbraco/messages?tab=handled&p=2", next);

            var second = await owner.GetDocumentAsync(next!);
            Assert.Contains(second.QuerySelectorAll("main tbody tr td:first-child a"), a => a.TextContent == "Paged 00");
            Assert.Contains(second.QuerySelectorAll("nav.bo-pager a"), a => a.TextContent == "Previous page");
            // A page number out of range is the first page, never an error.
            Assert.Equal(OwnerInbox.PageSize, (await owner.GetDocumentAsync("/umbraco/messages?tab=handled&p=-3")).QuerySelectorAll("main tbody tr").Length);
        }
        finally
        {
            app.Clock.Set(start);
        }
    }

    [Fact]
    public async Task AnEditorIsRefusedTheOwnersPagesAndTheirForms()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var message = await app.AddMessageAsync($"editor-{Guid.NewGuid():N}@example.com");
        var token = await editor.AntiforgeryTokenAsync();

        foreach (var path in new[] { "/umbraco/messages", $"/umbraco/messages/{message.Id}", "/umbraco/bookings", "/umbraco/mail", "/umbraco/privacy", "/umbraco/availability/talha" })
        {
            Assert.StartsWith("/umbraco/access-denied", (await editor.GetAsync(path)).Headers.Location?.PathAndQuery());
        }

        var post = await editor.PostFormAsync($"/umbraco/messages/{message.Id}?handler=Delete", [new("__RequestVerificationToken", token), new("ConfirmDelete", "true")]);
        Assert.StartsWith("/umbraco/access-denied", post.Headers.Location?.PathAndQuery());
        Assert.NotNull(await app.FindMessageAsync(message.Id));
        Assert.DoesNotContain((await editor.GetDocumentAsync("/umbraco")).QuerySelectorAll("nav.bo-nav a"), a => a.GetAttribute("href") == "/umbraco/messages");
    }

    [Fact]
    public async Task AFormPostWithoutTheAntiforgeryTokenChangesNothing()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var message = await app.AddMessageAsync($"csrf-{Guid.NewGuid():N}@example.com");

        var response = await owner.PostFormAsync($"/umbraco/messages/{message.Id}?handler=Delete", [new("ConfirmDelete", "true")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(await app.FindMessageAsync(message.Id));
    }
}
