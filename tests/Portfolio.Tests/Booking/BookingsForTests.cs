using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Booking;

/// <summary>Bookings made through the real booking service (mails queued with them), with the client's manage token.</summary>
public static class BookingsForTests
{
    /// <summary>Books the first free slot of <paramref name="expert"/> that starts at or after <paramref name="after"/>.</summary>
    public static Task<(ConsultationBooking Booking, string Token)> BookAfterAsync(this PortfolioApp app, string email, DateTime after,
        string expert = "talha", string clientZone = "Europe/Berlin") =>
        app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var found = (await bookings.FindExpertAsync(expert, default))!;
            var slots = await bookings.FreeSlotsAsync(found, after.Date, 28, default);
            var slot = slots.First(candidate => candidate.StartUtc >= after);
            var result = await bookings.BookAsync(
                new BookingRequest(expert, slot.StartUtc, "Grace Hopper", email, "Navy Labs", "Database scaling review", "We run PostgreSQL 15.", clientZone),
                "https://localhost", null, default);
            var created = Assert.IsType<BookingResult.Created>(result);
            return (created.Booking, created.ManageToken);
        });

    /// <summary>The first free slot of the expert that starts at or after <paramref name="after"/>, other than the booking's own.</summary>
    public static Task<Slot> FreeSlotAfterAsync(this PortfolioApp app, DateTime after, string expert = "talha") =>
        app.WithScopeAsync(async services =>
        {
            var bookings = services.GetRequiredService<BookingService>();
            var found = (await bookings.FindExpertAsync(expert, default))!;
            return (await bookings.FreeSlotsAsync(found, after.Date, 28, default)).First(candidate => candidate.StartUtc >= after);
        });

    /// <summary>Every outbox mail to <paramref name="address"/>, oldest first.</summary>
    public static Task<List<EmailOutboxMessage>> MailsToAsync(this PortfolioApp app, string address) =>
        app.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking()
            .Where(mail => mail.ToAddress == address).OrderBy(mail => mail.Id).ToListAsync());

    /// <summary>Runs <paramref name="work"/> with the clock at <paramref name="at"/>, and puts the clock back after.</summary>
    public static async Task AtAsync(this PortfolioApp app, DateTime at, Func<Task> work)
    {
        var before = app.Clock.GetUtcNow();
        app.Clock.Set(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)));
        try
        {
            await work();
        }
        finally
        {
            app.Clock.Set(before);
        }
    }
}
