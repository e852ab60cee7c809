using System.Globalization;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>The backoffice search at /umbraco/search: content, media, messages and bookings, each only for who may open it.</summary>
public sealed class BackofficeSearchTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    private static string[] Links(AngleSharp.Dom.IDocument page, string section) =>
        [.. page.QuerySelectorAll($"section[aria-labelledby='found-{section}'] li > a").Select(link => link.GetAttribute("href")!)];

    [Fact]
    public async Task TheOwnerFindsMessagesAndBookingsByClientExpertOrDateAndContentByNameCaseInsensitively()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var message = await app.AddMessageAsync($"zelda-{unique}@example.com", subject: "Audit of our queue", name: $"Zelda Quill{unique}");
        await app.AddMessageAsync($"other-{unique}@example.com", subject: "Unrelated", name: "Someone Else");
        var booking = await app.BookAsync($"zelda-{unique}@example.com", name: $"Zelda Quill{unique}");
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);

        // By the client's name, in another letter case: the message and the booking.
        var page = await owner.GetDocumentAsync($"/umbraco/search?q=ZELDA+QUILL{unique.ToUpperInvariant()}");
        Assert.Equal([$"/umbraco/messages/{message.Id}"], Links(page, "messages"));
        Assert.Equal([$"/umbraco/bookings/{booking.Id}"], Links(page, "bookings"));
        Assert.Contains("2 found", page.QuerySelector("main [role=status]")!.TextContent);

        // By the expert's name, and by the day the meeting starts (in the owner's zone, UTC here).
        Assert.Contains($"/umbraco/bookings/{booking.Id}", Links(await owner.GetDocumentAsync("/umbraco/search?q=talha"), "bookings"));
        var day = booking.StartUtc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Contains($"/umbraco/bookings/{booking.Id}", Links(await owner.GetDocumentAsync($"/umbraco/search?q={day}"), "bookings"));
        Assert.DoesNotContain($"/umbraco/bookings/{booking.Id}",
            Links(await owner.GetDocumentAsync($"/umbraco/search?q={booking.StartUtc.AddDays(-1):yyyy-MM-dd}"), "bookings"));

        // The owner's role does not edit content, so content is not searched for them; an editor finds it by name.
        Assert.Null((await owner.GetDocumentAsync("/umbraco/search?q=Talha")).QuerySelector("section[aria-labelledby='found-content']"));
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        var content = await editor.GetDocumentAsync("/umbraco/search?q=tALHA");
        Assert.NotEmpty(Links(content, "content"));
        Assert.Null(content.QuerySelector("section[aria-labelledby='found-bookings']"));

        // Nothing: said so, not an empty page; a term that is too long is a field error, never a 500.
        var none = await owner.GetDocumentAsync($"/umbraco/search?q=nothing-{unique}");
        Assert.Contains("Nothing found", none.QuerySelector("main [role=status]")!.TextContent);
        var tooLong = await owner.GetDocumentAsync($"/umbraco/search?q={new string('a', 101)}");
        Assert.NotNull(tooLong.QuerySelector("#search-q-error"));
        // The form is on every backoffice page.
        Assert.NotNull((await owner.GetDocumentAsync("/umbraco/bookings")).QuerySelector("header form[role=search][action='/umbraco/search'] input[name=q]"));
    }

    [Fact]
    public async Task AWriterFindsContentButNeverAClientsMessageOrBooking()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        await app.AddMessageAsync($"private-{unique}@example.com", subject: $"Private {unique}", name: $"Talha Client {unique}");
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);

        var page = await writer.GetDocumentAsync("/umbraco/search?q=talha");

        Assert.NotEmpty(Links(page, "content"));
        Assert.Null(page.QuerySelector("section[aria-labelledby='found-messages']"));
        Assert.Null(page.QuerySelector("section[aria-labelledby='found-bookings']"));
        Assert.DoesNotContain(unique, page.Body!.TextContent);
    }
}
