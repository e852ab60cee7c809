using Portfolio.Web.Api;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Booking;

public static class BookingExtensions
{
    /// <summary>Free slots and bookings for clients; the owner's bookings, calendar and availability editor.</summary>
    public static WebApplicationBuilder AddBookings(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<BookingOptions, BookingOptionsValidator>(BookingOptions.SectionName);
        builder.Services.AddScoped<BookingStore>();
        builder.Services.AddScoped<BookingService>();
        builder.Services.AddSingleton<IdempotentReplies>();
        builder.Services.AddScoped<OwnerBookings>();
        builder.Services.AddScoped<AvailabilityEditor>();
        return builder;
    }

    /// <summary><c>GET /api/v1/experts/{slug}/slots</c> and <c>POST /api/v1/bookings</c>; the pages are Razor Pages.</summary>
    public static WebApplication MapBookings(this WebApplication app)
    {
        ApiExtensions.Group(app).MapBookingsApi();
        return app;
    }
}
