using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Email;

/// <summary>With no SMTP server configured (the default), mail is written as .eml files under the content root.</summary>
public sealed class PickupTransportTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Fact]
    public async Task WithTheDefaultConfigurationMailIsWrittenAsEmlFilesInUmbracoDataMailPickup()
    {
        var body = ApiCalls.ContactMessage();
        body["email"] = "pickup@example.com";

        var response = await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = Assert.Single(await SmtpPortfolioApp.WaitUntilAsync(
            () => app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>()
                .EmailOutbox.Where(m => m.ReplyTo == "pickup@example.com").ToListAsync()),
            mails => mails.Count == 1 && mails[0].Status == EmailStatus.Sent));
        var folder = Path.Combine(app.ContentRoot, "umbraco", "Data", "mail-pickup");
        var files = Directory.GetFiles(folder, "*.eml");
        var written = files.Select(file => ReceivedMail.Parse(File.ReadAllText(file))).SingleOrDefault(eml => eml.MessageId == mail.MessageId);
        Assert.True(written is not null, $"No .eml with {mail.MessageId} among {files.Length} file(s) in {folder}");
        Assert.Equal(mail.Subject, written.Header("Subject"));
        Assert.Contains("owner@example.com", written.Header("To"), StringComparison.Ordinal);
        Assert.Contains("pickup@example.com", written.Header("Reply-To"), StringComparison.Ordinal);
    }
}
