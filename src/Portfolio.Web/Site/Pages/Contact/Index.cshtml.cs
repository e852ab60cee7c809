using Microsoft.AspNetCore.OutputCaching;
using Portfolio.Web.Content;

namespace Portfolio.Web.Site.Pages.Contact;

/// <summary>
/// <c>/contact</c>: the ContactPage content and the direct e-mail address. The message form arrives with
/// a later issue and renders into the <c>#contact-form</c> section.
/// </summary>
[OutputCache(PolicyName = PublicSiteExtensions.PublicPagePolicy)]
public sealed class IndexModel : SitePageModel
{
    public ContactPage Contact { get; private set; } = new();

    /// <summary>The page's own address, else the site's; empty when neither is set.</summary>
    public string DirectEmail { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadPublishedAsync(cancellationToken);
        Contact = Published.Singleton<ContactPage>() ?? new ContactPage { Title = "Contact" };
        DirectEmail = string.IsNullOrWhiteSpace(Contact.DirectEmail) ? Settings.ContactEmail : Contact.DirectEmail;
        Describe(Contact.Title, Contact.MetaDescription, "/contact");
    }
}
