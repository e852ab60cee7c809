using System.Security.Cryptography;
using Portfolio.Web.Content;

namespace Portfolio.Web.Booking;

/// <summary>Where a booking's meeting takes place, as the API answers it: <c>video</c>, <c>phone</c> or <c>address</c>.</summary>
/// <param name="Kind"><c>video</c>, <c>phone</c> or <c>address</c>.</param>
/// <param name="Value">The room's link, the phone number or the address.</param>
/// <param name="Url">The room's link for a video call, else null.</param>
public sealed record BookingLocation(string Kind, string Value, string? Url);

/// <summary>
/// Turns a <see cref="MeetingLocation"/> into the place of one booking. A booking keeps the place it was made with
/// (<see cref="ConsultationBooking.LocationKind"/>, <see cref="ConsultationBooking.LocationValue"/>): the client's
/// invitation says it, so a later change of the expert's settings does not silently move existing meetings, and a room
/// link made for the booking stays the same when it is moved.
/// </summary>
public static class MeetingPlaces
{
    /// <summary>Lower-case letters and digits without look-alikes (no 0/o, 1/l/i), for a link read aloud or retyped.</summary>
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>12 characters of 31: about 59 bits, so nobody finds another booking's room by trying links.</summary>
    internal const int RandomLength = 12;

    /// <summary>
    /// The place of a new booking with <paramref name="expertSlug"/>: a fixed room, a phone number or an address as the
    /// expert gave it, a room link made from the template with a random part of its own (from a CSPRNG), or none.
    /// A later caller with an override (a booking type's own place) passes <c>override ?? availability.Location</c>.
    /// </summary>
    public static (MeetingLocationKind Kind, string? Value) Resolve(MeetingLocation location, string expertSlug)
    {
        var value = location.Value.Trim();
        return location.Kind switch
        {
            MeetingLocationKind.VideoRoom or MeetingLocationKind.Phone or MeetingLocationKind.Address when value.Length > 0
                => (location.Kind, value),
            MeetingLocationKind.VideoRoomPerBooking when value.Contains(MeetingLocation.RandomPlaceholder, StringComparison.Ordinal)
                => (MeetingLocationKind.VideoRoom, value
                    .Replace(MeetingLocation.ExpertPlaceholder, Uri.EscapeDataString(expertSlug), StringComparison.Ordinal)
                    .Replace(MeetingLocation.RandomPlaceholder, RandomPart(), StringComparison.Ordinal)),
            _ => (MeetingLocationKind.None, null),
        };
    }

    /// <summary>Gives <paramref name="booking"/> the expert's place unless it has one (a new booking, one made before places existed).</summary>
    public static void Assign(ConsultationBooking booking, MeetingLocation location)
    {
        if (booking.LocationKind != MeetingLocationKind.None && !string.IsNullOrEmpty(booking.LocationValue))
        {
            return;
        }

        (booking.LocationKind, booking.LocationValue) = Resolve(location, booking.ExpertSlug);
    }

    /// <summary>The booking's place for the API, or null when it has none.</summary>
    public static BookingLocation? Of(ConsultationBooking booking) =>
        booking.LocationKind == MeetingLocationKind.None || string.IsNullOrEmpty(booking.LocationValue)
            ? null
            : booking.LocationKind switch
            {
                MeetingLocationKind.VideoRoom => new BookingLocation("video", booking.LocationValue, booking.LocationValue),
                MeetingLocationKind.Phone => new BookingLocation("phone", booking.LocationValue, null),
                _ => new BookingLocation("address", booking.LocationValue, null),
            };

    /// <summary>What mails and pages call the place ("Video call", "Phone", "Address").</summary>
    public static string Label(BookingLocation location) => location.Kind switch
    {
        "video" => "Video call",
        "phone" => "Phone",
        _ => "Address",
    };

    internal static string RandomPart() => RandomNumberGenerator.GetString(Alphabet, RandomLength);
}
