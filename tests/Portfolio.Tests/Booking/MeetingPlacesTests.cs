using System.ComponentModel.DataAnnotations;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Booking;

/// <summary>An expert's place of meeting: which values are accepted, and what a booking gets from it.</summary>
[ProviderIndependent]
public sealed class MeetingPlacesTests
{
    [Theory]
    [InlineData(MeetingLocationKind.None, "")]
    [InlineData(MeetingLocationKind.VideoRoom, "https://meet.example/talha")]
    [InlineData(MeetingLocationKind.VideoRoom, "http://intranet.example/room/7")]
    [InlineData(MeetingLocationKind.VideoRoomPerBooking, "https://meet.example/{expert}-{random}")]
    [InlineData(MeetingLocationKind.VideoRoomPerBooking, "https://meet.example/rooms?id={random}")]
    [InlineData(MeetingLocationKind.Phone, "+44 (20) 7946-0000")]
    [InlineData(MeetingLocationKind.Address, "1 Ropemaker Street, London")]
    public void UsablePlacesAreAccepted(MeetingLocationKind kind, string value) =>
        Assert.Empty(Errors(new MeetingLocation { Kind = kind, Value = value }));

    [Theory]
    [InlineData(MeetingLocationKind.VideoRoom, "")]
    [InlineData(MeetingLocationKind.VideoRoom, "/relative/room")]
    [InlineData(MeetingLocationKind.VideoRoom, "ftp://meet.example/room")]
    [InlineData(MeetingLocationKind.VideoRoom, "https://meet.example/a room")]
    [InlineData(MeetingLocationKind.VideoRoomPerBooking, "https://meet.example/{expert}")]
    [InlineData(MeetingLocationKind.VideoRoomPerBooking, "{random}")]
    [InlineData(MeetingLocationKind.VideoRoomPerBooking, "https://meet.example/{random}/{name}")]
    [InlineData(MeetingLocationKind.Phone, "12")]
    [InlineData(MeetingLocationKind.Phone, "ring +44 20 7946 0000")]
    [InlineData(MeetingLocationKind.Address, "  ")]
    [InlineData((MeetingLocationKind)9, "x")]
    public void UnusablePlacesAreRefused(MeetingLocationKind kind, string value) =>
        Assert.NotEmpty(Errors(new MeetingLocation { Kind = kind, Value = value }));

    [Fact]
    public void ATemplateGivesEveryBookingARoomOfItsOwnFromACryptographicRandomPart()
    {
        var template = new MeetingLocation { Kind = MeetingLocationKind.VideoRoomPerBooking, Value = "https://meet.example/{expert}-{random}" };

        var links = Enumerable.Range(0, 200).Select(_ => MeetingPlaces.Resolve(template, "talha")).ToList();

        Assert.All(links, link => Assert.Equal(MeetingLocationKind.VideoRoom, link.Kind));
        Assert.All(links, link => Assert.Matches("^https://meet\\.example/talha-[a-hj-km-np-z2-9]{12}$", link.Value));
        Assert.Equal(200, links.Select(link => link.Value).Distinct().Count());
    }

    [Fact]
    public void ABookingKeepsThePlaceItWasGiven()
    {
        var booking = new ConsultationBooking { ExpertSlug = "talha" };
        MeetingPlaces.Assign(booking, new MeetingLocation { Kind = MeetingLocationKind.VideoRoomPerBooking, Value = "https://meet.example/{random}" });
        var first = booking.LocationValue;

        MeetingPlaces.Assign(booking, new MeetingLocation { Kind = MeetingLocationKind.Phone, Value = "+44 20 7946 0000" });

        Assert.Equal(first, booking.LocationValue);
        Assert.Equal(new BookingLocation("video", first!, first), MeetingPlaces.Of(booking));
    }

    private static List<ValidationResult> Errors(MeetingLocation location)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(location, new ValidationContext(location), results, validateAllProperties: true);
        return results;
    }
}
