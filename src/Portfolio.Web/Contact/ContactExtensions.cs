using Portfolio.Web.Api;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Contact;

public static class ContactExtensions
{
    /// <summary>Contact messages from the form and the API, their spam defences, and the owner's inbox.</summary>
    public static WebApplicationBuilder AddContact(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ContactOptions, ContactOptionsValidator>(ContactOptions.SectionName)
            .Validate(options => options.MaximumFormAge > options.MinimumFillTime,
                "Contact:MaximumFormAge must be longer than Contact:MinimumFillTime, or no form could ever be sent.");
        builder.Services.AddScoped<ContactService>();
        builder.Services.AddSingleton<ContactFormGuard>();
        builder.Services.AddScoped<ContactMessageStore>();
        builder.Services.AddScoped<OwnerInbox>();
        return builder;
    }

    /// <summary><c>POST /api/v1/contact-messages</c>; the contact page is a Razor Page.</summary>
    public static WebApplication MapContact(this WebApplication app)
    {
        ApiExtensions.Group(app).MapContactMessagesApi();
        return app;
    }
}
