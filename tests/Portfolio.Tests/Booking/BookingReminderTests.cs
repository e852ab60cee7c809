using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Booking;

/// <summary>
/// The app with reminders two days and one hour before a meeting (so a booking can be made inside the first window:
/// the sample experts take bookings from 24 hours ahead), run by hand: the job and the dispatcher are off, so the
/// outbox and the reminders table stay as the test left them.
/// </summary>
public sealed class ReminderApp : PortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Dispatcher:Enabled", "false");
        builder.UseSetting("Booking:Reminders:Enabled", "false");
        builder.UseSetting("Booking:Reminders:Offsets:0", "2.00:00:00");
        builder.UseSetting("Booking:Reminders:Offsets:1", "01:00:00");
    }
}

/// <summary>
/// Reminders before a meeting: due at the meeting's start less each offset in real hours (also across a change of
/// daylight saving time), queued once however often and however many instances run, to the client and to the expert,
/// never for a cancelled booking, at the new time for a moved one, and not when the booking got its time already
/// inside the reminder's window.
/// </summary>
public sealed class BookingReminderTests(ReminderApp app) : IClassFixture<ReminderApp>
{
    private static readonly DateTime Monday = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task AReminderIsQueuedWhenItsTimeComesToTheClientAndTheExpertAndOnlyOnceThoughTheJobRunsAgain()
    {
        var email = Address("due");
        var (booking, _) = await app.BookAfterAsync(email, Monday.AddDays(3));
        var due = booking.StartUtc.AddDays(-2);

        await app.AtAsync(due.AddMinutes(-1), RunAsync);
        Assert.Empty(await RemindersAsync(booking.Id));

        await app.AtAsync(due, async () =>
        {
            await RunAsync();
            await RunAsync();
        });

        var reminders = await RemindersAsync(booking.Id);
        Assert.Equal([(2880, ReminderRecipient.Client), (2880, ReminderRecipient.Expert)],
            reminders.Select(reminder => (reminder.OffsetMinutes, reminder.Recipient)).Order());
        var client = Assert.Single(await ClientRemindersAsync(email));
        Assert.Contains(BookingService.Describe(booking.StartUtc, booking.EndUtc, "Europe/Berlin"), client.TextBody, StringComparison.Ordinal);
        // No manage link: the client's confirmation mail holds the only one (see BookingReminderService.ClientReminder).
        Assert.False(ManageLinks.Contains(client.TextBody + client.HtmlBody));
        Assert.Contains("link in your confirmation e-mail", client.TextBody, StringComparison.Ordinal);
        Assert.Null(client.Calendar);
        var expert = Assert.Single(await ExpertRemindersAsync(email));
        Assert.Equal("talha@example.com", expert.ToAddress);
        Assert.Contains(BookingService.Describe(booking.StartUtc, booking.EndUtc, "Europe/London"), expert.TextBody, StringComparison.Ordinal);

        // An hour before, the second reminder; the first is not sent again.
        await app.AtAsync(booking.StartUtc.AddHours(-1), RunAsync);
        Assert.Equal(2, (await ClientRemindersAsync(email)).Count);
        Assert.Equal([60, 2880], (await RemindersAsync(booking.Id)).Where(r => r.Recipient == ReminderRecipient.Client).Select(r => r.OffsetMinutes).Order());
    }

    [Fact]
    public async Task RunsAtTheSameMomentQueueEachReminderOnce()
    {
        var email = Address("concurrent");
        var (booking, _) = await app.BookAfterAsync(email, Monday.AddDays(4));

        await app.AtAsync(booking.StartUtc.AddDays(-2), async () =>
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(RunAsync))));

        Assert.Single(await ClientRemindersAsync(email));
        Assert.Single(await ExpertRemindersAsync(email));
        Assert.Equal(2, (await RemindersAsync(booking.Id)).Count);
    }

    [Fact]
    public async Task ACancelledBookingGetsNoReminder()
    {
        var email = Address("cancelled");
        var (booking, token) = await app.BookAfterAsync(email, Monday.AddDays(5));
        await app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            Assert.IsType<BookingResult.Cancelled>(await bookings.CancelAsync((await bookings.FindByTokenAsync(token, default))!, byOwner: false, default));
        });

        await app.AtAsync(booking.StartUtc.AddDays(-2), RunAsync);
        await app.AtAsync(booking.StartUtc.AddHours(-1), RunAsync);

        Assert.Empty(await ClientRemindersAsync(email));
        Assert.Empty(await ExpertRemindersAsync(email));
        Assert.Empty(await RemindersAsync(booking.Id));
    }

    [Fact]
    public async Task AMovedBookingIsRemindedOfItsNewTimeAndNeverAtItsOldOne()
    {
        var email = Address("moved");
        var (booking, token) = await app.BookAfterAsync(email, Monday.AddDays(3).AddHours(5));
        var oldStart = booking.StartUtc;
        var newSlot = await app.FreeSlotAfterAsync(oldStart.AddDays(7));

        // The first reminder of the old time goes; then the client moves the meeting a week on.
        await app.AtAsync(oldStart.AddDays(-2), async () =>
        {
            await RunAsync();
            await app.WithScopeAsync(async services =>
            {
                var bookings = services.GetRequiredService<BookingService>();
                Assert.IsType<BookingResult.Moved>(await bookings.RescheduleAsync(
                    (await bookings.FindByTokenAsync(token, default))!, newSlot.StartUtc, "https://localhost", token, default));
            });
        });
        Assert.Single(await ClientRemindersAsync(email));

        // The old time's second reminder never comes.
        await app.AtAsync(oldStart.AddHours(-1), RunAsync);
        Assert.Single(await ClientRemindersAsync(email));

        // The new time's reminders do, with the new time in them.
        await app.AtAsync(newSlot.StartUtc.AddDays(-2), RunAsync);
        var reminders = await ClientRemindersAsync(email);
        Assert.Equal(2, reminders.Count);
        Assert.Contains(BookingService.Describe(newSlot.StartUtc, newSlot.EndUtc, "Europe/Berlin"), reminders[1].TextBody, StringComparison.Ordinal);
        Assert.Contains((await RemindersAsync(booking.Id)), reminder => reminder.StartUtc == newSlot.StartUtc && reminder.OffsetMinutes == 2880);
    }

    [Fact]
    public async Task ABookingMadeInsideAReminderWindowSkipsThatReminderButGetsTheLaterOne()
    {
        var email = Address("inside");
        // Booked on Monday 09:00 for Tuesday morning: less than two days ahead, so inside the first reminder's window.
        var (booking, _) = await app.BookAfterAsync(email, Monday.AddDays(1));
        Assert.True(booking.StartUtc - Monday < TimeSpan.FromDays(2));

        await app.AtAsync(Monday.AddMinutes(1), RunAsync);
        await app.AtAsync(booking.StartUtc.AddHours(-2), RunAsync);
        Assert.Empty(await ClientRemindersAsync(email));

        await app.AtAsync(booking.StartUtc.AddHours(-1), RunAsync);
        var reminder = Assert.Single(await RemindersAsync(booking.Id), r => r.Recipient == ReminderRecipient.Client);
        Assert.Equal(60, reminder.OffsetMinutes);
        Assert.Single(await ClientRemindersAsync(email));
    }

    [Fact]
    public async Task AReminderComesInRealHoursAcrossAChangeOfDaylightSavingTimeAndNamesTheLocalTime()
    {
        var email = Address("dst");
        // Booked on Friday 26 March 2027 (London on GMT) for Monday 29 March 09:30 London, on summer time (08:30 UTC): the
        // clocks go forward in between, on Sunday at 01:00 UTC.
        var friday = new DateTime(2027, 3, 26, 9, 0, 0, DateTimeKind.Utc);
        ConsultationBooking booking = null!;
        await app.AtAsync(friday, async () => (booking, _) = await app.BookAfterAsync(email, new DateTime(2027, 3, 29, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2027, 3, 29, 8, 30, 0, DateTimeKind.Utc), booking.StartUtc);

        // Two days before is 48 real hours before, Saturday 08:30 UTC (08:30 in London, still on GMT), not 09:30 local.
        var due = new DateTime(2027, 3, 27, 8, 30, 0, DateTimeKind.Utc);
        await app.AtAsync(due.AddMinutes(-1), RunAsync);
        Assert.Empty(await ClientRemindersAsync(email));
        await app.AtAsync(due, RunAsync);
        var reminder = Assert.Single(await ClientRemindersAsync(email));
        Assert.Contains("Monday 29 March 2027, 09:30–10:15 (Europe/London)", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains("Monday 29 March 2027, 10:30–11:15 (Europe/Berlin)", reminder.TextBody, StringComparison.Ordinal);

        // And the hour before is 07:30 UTC, 08:30 in London on summer time.
        await app.AtAsync(new DateTime(2027, 3, 29, 7, 29, 0, DateTimeKind.Utc), RunAsync);
        Assert.Single(await ClientRemindersAsync(email));
        await app.AtAsync(new DateTime(2027, 3, 29, 7, 30, 0, DateTimeKind.Utc), RunAsync);
        Assert.Equal(2, (await ClientRemindersAsync(email)).Count);
    }

    [Fact]
    public void TheDefaultRemindersAreADayAndAnHourBeforeAndOddOffsetsAreRefused()
    {
        Assert.Equal([TimeSpan.FromHours(24), TimeSpan.FromHours(1)], new ReminderOptions().EffectiveOffsets);
        Assert.True(ReminderOptions.AreValid(ReminderOptions.DefaultOffsets));
        Assert.False(ReminderOptions.AreValid([TimeSpan.Zero]));
        Assert.False(ReminderOptions.AreValid([TimeSpan.FromHours(1), TimeSpan.FromHours(1)]));
        Assert.False(ReminderOptions.AreValid([TimeSpan.FromDays(31)]));
    }

    private static string Address(string name) => $"reminder-{name}-{Guid.NewGuid():N}@example.com";

    private Task RunAsync() =>
        app.WithScopeAsync(services => services.GetRequiredService<BookingReminderService>().QueueDueAsync(default));

    private Task<List<BookingReminder>> RemindersAsync(Guid bookingId) =>
        app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().BookingReminders.AsNoTracking()
            .Where(reminder => reminder.BookingId == bookingId).ToListAsync());

    private async Task<List<EmailOutboxMessage>> ClientRemindersAsync(string email) =>
        (await app.MailsToAsync(email)).Where(mail => mail.Kind == "booking-reminder").ToList();

    private Task<List<EmailOutboxMessage>> ExpertRemindersAsync(string clientEmail) =>
        app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking()
            .Where(mail => mail.Kind == "booking-reminder-expert" && mail.ReplyTo == clientEmail).OrderBy(mail => mail.Id).ToListAsync());
}
