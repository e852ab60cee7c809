namespace Portfolio.Web.Booking;

public static class BookingExtensions
{
    public static WebApplicationBuilder AddBookings(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BookingOptions>().BindConfiguration(BookingOptions.SectionName);
        builder.Services.AddScoped<BookingService>();
        return builder;
    }
}
