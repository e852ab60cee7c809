using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Booking;

public static class BookingExtensions
{
    public static WebApplicationBuilder AddBookings(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<BookingOptions, BookingOptionsValidator>(BookingOptions.SectionName);
        builder.Services.AddScoped<BookingService>();
        return builder;
    }
}
