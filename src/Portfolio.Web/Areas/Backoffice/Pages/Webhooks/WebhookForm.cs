using Portfolio.Web.Webhooks;

namespace Portfolio.Web.Areas.Backoffice.Pages.Webhooks;

/// <summary>What <c>_WebhookFields</c> shows: the values typed (or stored) and each field's error.</summary>
public sealed record WebhookFieldsView(string? Name, string? Url, IReadOnlyCollection<string> Events, bool Enabled, IReadOnlyDictionary<string, string> Errors)
{
    public static WebhookFieldsView Of(Webhook webhook) => new(webhook.Name, webhook.Url, webhook.EventList.ToList(), webhook.Enabled, new Dictionary<string, string>());

    public string? ErrorOf(string field) => Errors.TryGetValue(field, out var error) ? error : null;
}
