using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portfolio.Web.Webhooks;

/// <summary>The event types a webhook can subscribe to, with what the administrator is told about each.</summary>
public static class WebhookEventTypes
{
    public const string ContentPublished = "content.published";
    public const string ContentUnpublished = "content.unpublished";
    public const string BookingCreated = "booking.created";
    public const string BookingMoved = "booking.moved";
    public const string BookingCancelled = "booking.cancelled";
    public const string MessageReceived = "message.received";

    public static IReadOnlyList<(string Type, string Description)> All { get; } =
    [
        (ContentPublished, "A page or item was published (also by a schedule); again when a new version is published."),
        (ContentUnpublished, "A page or item was taken off the site (also by a schedule)."),
        (BookingCreated, "A consultation was booked."),
        (BookingMoved, "A booking moved to a new time (by the client or the owner)."),
        (BookingCancelled, "A booking was cancelled (by the client or the owner)."),
        (MessageReceived, "A contact message arrived (not one held as spam, not a repeat)."),
    ];

    public static bool IsKnown(string type) => All.Any(known => known.Type == type);
}

/// <summary>
/// An event as it is posted: <c>{ "id", "type", "timestamp", "data" }</c> (the Standard Webhooks payload shape, plus the
/// id). <see cref="Payload"/> is the JSON body, fixed when the event is queued.
/// </summary>
public sealed record WebhookEvent(string Id, string Type, DateTime OccurredUtc, string Payload)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static WebhookEvent Create(string type, DateTime occurredUtc, object data)
    {
        var id = $"evt_{Guid.CreateVersion7():N}";
        var utc = DateTime.SpecifyKind(occurredUtc, DateTimeKind.Utc);
        var payload = JsonSerializer.Serialize(new Envelope(id, type, utc, data), Json);
        return new WebhookEvent(id, type, utc, payload);
    }

    /// <summary>
    /// A content item: its key, document type, name and public route (null for a type without a page of its own). No
    /// content body: a receiver that wants it reads the delivery API, which decides what is public.
    /// </summary>
    public static WebhookEvent Content(string type, DateTime occurredUtc, Guid key, string contentType, string name, string? route, int? version) =>
        Create(type, occurredUtc, new ContentData(key, contentType, name, route, version));

    /// <summary>
    /// A booking as the owner's tools need it to act (which expert, when, what state) and no more: no client name,
    /// e-mail, company, topic or notes (the receiver is another system; the owner reads those in the backoffice by the
    /// id) and never the manage token or its hash (whoever holds the token can cancel or move the booking).
    /// </summary>
    public static WebhookEvent Booking(string type, DateTime occurredUtc, Booking.ConsultationBooking booking, string expertName,
        DateTime? previousStartUtc = null) =>
        Create(type, occurredUtc, new BookingData(booking.Id, booking.ExpertSlug, expertName, booking.BookingType,
            Utc(booking.StartUtc), Utc(booking.EndUtc), booking.Status == Portfolio.Web.Booking.BookingStatus.Cancelled ? "cancelled" : "confirmed",
            previousStartUtc is { } previous ? Utc(previous) : null));

    /// <summary>
    /// A contact message: its id, when it came and through what (the form or the API). Not the sender or the text, for
    /// the reason given at <see cref="Booking"/>: the owner opens the message in the backoffice.
    /// </summary>
    public static WebhookEvent Message(DateTime occurredUtc, Guid id, string source) =>
        Create(WebhookEventTypes.MessageReceived, occurredUtc, new MessageData(id, source, Utc(occurredUtc)));

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed record Envelope(string Id, string Type, DateTime Timestamp, object Data);

    private sealed record ContentData(Guid Id, string ContentType, string Name, string? Route, int? Version);

    private sealed record BookingData(Guid Id, string Expert, string ExpertName, string? BookingType, DateTime Start, DateTime End, string Status,
        DateTime? PreviousStart);

    private sealed record MessageData(Guid Id, string Source, DateTime ReceivedAt);
}
