using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Email;

/// <summary>The app with <c>Email:Dispatcher:Enabled=false</c>: it queues mail but never sends it.</summary>
public sealed class DispatcherDisabledApp : PortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Dispatcher:Enabled", "false");
    }
}

public sealed class DispatcherSwitchTests(DispatcherDisabledApp app) : IClassFixture<DispatcherDisabledApp>
{
    [Fact]
    public async Task ADisabledDispatcherQueuesMailButNeverSendsIt()
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/contact-messages", new
        {
            name = "Queued Only",
            email = "queued@example.com",
            subject = "Stays in the outbox",
            message = "This message is stored and its notification queued, not sent.",
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        // The dispatcher's loop never ran: its background task finished at start.
        var dispatcher = app.Services.GetRequiredService<EmailDispatcher>();
        Assert.True(dispatcher.ExecuteTask?.IsCompleted, "The disabled dispatcher should not keep running.");

        await app.WithDbAsync(async db =>
        {
            var mail = await db.EmailOutbox.SingleAsync(m => m.ReplyTo == "queued@example.com");
            Assert.Equal(EmailStatus.Pending, mail.Status);
            Assert.Equal(0, mail.Attempts);
            Assert.Null(mail.LockedBy);
        });
    }
}
