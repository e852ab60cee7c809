using Microsoft.EntityFrameworkCore;
using Portfolio.Web.Api;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Booking;

public static class BookingExtensions
{
    /// <summary>Free slots and bookings for clients; the owner's bookings, calendar and availability editor.</summary>
    public static WebApplicationBuilder AddBookings(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<BookingOptions, BookingOptionsValidator>(BookingOptions.SectionName)
            .Validate(options => ReminderOptions.AreValid(options.Reminders.EffectiveOffsets),
                "Booking:Reminders:Offsets must hold one to five different times from 00:01:00 to 30.00:00:00, e.g. [\"1.00:00:00\", \"01:00:00\"].");
        builder.Services.AddScoped<BookingStore>();
        builder.Services.AddScoped<BookingService>();
        builder.Services.AddSingleton<IdempotentReplies>();
        builder.Services.AddScoped<OwnerBookings>();
        builder.Services.AddScoped<BookingReminderService>();
        builder.Services.AddHostedService<BookingReminderJob>();
        builder.Services.AddScoped<AvailabilityEditor>();
        builder.Services.AddScoped<ExpertCalendarFeeds>();
        builder.Services.AddBusyCalendars();
        return builder;
    }

    /// <summary>Busy times imported from the experts' own calendars (ICS feeds), fetched by a background job.</summary>
    private static void AddBusyCalendars(this IServiceCollection services)
    {
        services.AddValidatedOptions<BusyCalendarOptions, BusyCalendarOptionsValidator>(BusyCalendarOptions.SectionName);
        services.AddHttpClient(BusyCalendarFetcher.ClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => BusyCalendarFetcher.CreateHandler(
                provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<BusyCalendarOptions>>()))
            // The request log would write the feed's URL, a secret; the fetcher reports failures in its own words.
            .RemoveAllLoggers();
        services.AddSingleton<BusyCalendarFetcher>();
        services.AddScoped<BusyCalendarStore>();
        services.AddScoped<BusyCalendarRefresher>();
        services.AddSingleton<BusyCalendarJob>();
        services.AddHostedService(provider => provider.GetRequiredService<BusyCalendarJob>());
    }

    /// <summary>
    /// Gives the bookings stored before the database counted bookings a day their expert's day (the BookingDailyCap
    /// migration cannot: SQLite has no time-zone rules), once, under the start-up lock. Nothing while migrations are
    /// pending (Database:MigrateOnStartup=false and not yet applied): the column is not there yet.
    /// </summary>
    public static async Task BackfillBookingDaysAsync(this IServiceProvider services)
    {
        await using var held = await services.GetRequiredService<DatabaseStartupLock>().AcquireAsync("booking days", CancellationToken.None);
        await using var scope = services.CreateAsyncScope();
        if ((await scope.ServiceProvider.GetRequiredService<PortfolioDbContext>().Database.GetPendingMigrationsAsync()).Any())
        {
            return;
        }

        await scope.ServiceProvider.GetRequiredService<BookingService>().BackfillExpertDaysAsync(CancellationToken.None);
    }

    /// <summary>
    /// <c>GET /api/v1/experts/{slug}/slots</c>, <c>POST /api/v1/bookings</c> and the experts' calendar feeds; the pages are
    /// Razor Pages.
    /// </summary>
    public static WebApplication MapBookings(this WebApplication app)
    {
        ApiExtensions.Group(app).MapBookingsApi();
        app.MapExpertCalendarFeed();
        return app;
    }
}
