using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Contact;

public static class ContactExtensions
{
    public static WebApplicationBuilder AddContact(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ContactOptions, ContactOptionsValidator>(ContactOptions.SectionName)
            .Validate(options => options.MaximumFormAge > options.MinimumFillTime,
                "Contact:MaximumFormAge must be longer than Contact:MinimumFillTime, or no form could ever be sent.");
        builder.Services.AddScoped<ContactService>();
        builder.Services.AddSingleton<ContactFormGuard>();
        return builder;
    }
}
