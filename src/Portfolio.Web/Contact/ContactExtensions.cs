namespace Portfolio.Web.Contact;

public static class ContactExtensions
{
    public static WebApplicationBuilder AddContact(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ContactOptions>().BindConfiguration(ContactOptions.SectionName);
        builder.Services.AddScoped<ContactService>();
        builder.Services.AddSingleton<ContactFormGuard>();
        return builder;
    }
}
