using System.ComponentModel.DataAnnotations;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Shared;

/// <summary>
/// The site's one time zone lookup accepts IANA ids only. On Linux .NET also finds Windows ids (through ICU) and
/// every file under /usr/share/zoneinfo; these cases pin down that none of those gets through.
/// </summary>
[ProviderIndependent]
public sealed class TimeZonesTests
{
    [Theory]
    [InlineData("Europe/Berlin", "Europe/Berlin")]
    [InlineData("UTC", "UTC")]
    [InlineData("utc", "UTC")]
    [InlineData("Etc/UTC", "Etc/UTC")]
    [InlineData("europe/berlin", "Europe/Berlin")]
    [InlineData("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires")]
    [InlineData("Europe/Kiev", "Europe/Kiev")]
    [InlineData("Etc/GMT+5", "Etc/GMT+5")]
    public void AnIanaIdIsFoundUnderItsCanonicalSpelling(string id, string expected) =>
        Assert.Equal(expected, TimeZones.Find(id)?.Id);

    [Theory]
    [InlineData("W. Europe Standard Time")] // a Windows id: .NET converts it through ICU
    [InlineData("Eastern Standard Time")]
    [InlineData("US/Eastern")] // a legacy alias outside the IANA areas
    [InlineData("GMT")]
    [InlineData("EST5EDT")]
    [InlineData("localtime")] // the server's own zone
    [InlineData("posixrules")]
    [InlineData("Factory")]
    [InlineData("right/Europe/Berlin")] // a clock with leap seconds
    [InlineData("posix/Europe/Berlin")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/passwd")]
    [InlineData(" Europe/Berlin")]
    [InlineData("")]
    [InlineData(null)]
    public void AnythingElseIsRefused(string? id)
    {
        Assert.Null(TimeZones.Find(id));
        Assert.False(TimeZones.IsIana(id));
    }

    [Fact]
    public void AnOverlongIdIsRefusedBeforeItIsLookedUp() =>
        Assert.Null(TimeZones.Find("Europe/" + new string('x', TimeZones.MaxIdLength)));

    [Fact]
    public void AStoredIdFromBeforeTheRuleStillResolvesSoItsExpertsPagesKeepWorking()
    {
        var winter = new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal(TimeZones.Get("Europe/Berlin").GetUtcOffset(winter), TimeZones.Get("W. Europe Standard Time").GetUtcOffset(winter));
        Assert.Equal(TimeZones.Get("America/New_York").GetUtcOffset(winter), TimeZones.Get("US/Eastern").GetUtcOffset(winter));
    }

    [Fact]
    public void AStoredIdFromBeforeTheRuleIsShownInItsOwnZoneNotInUtc()
    {
        var winter = new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal(TimeSpan.FromHours(1), TimeZones.FindOrUtc("W. Europe Standard Time").GetUtcOffset(winter));
        Assert.Equal(TimeZoneInfo.Utc, TimeZones.FindOrUtc("Mars/Olympus_Mons"));
    }

    [Fact]
    public void AStoredIdNoSystemKnowsFailsLoudly() =>
        Assert.Throws<TimeZoneNotFoundException>(() => TimeZones.Get("Mars/Olympus_Mons"));

    [Theory]
    [InlineData("W. Europe Standard Time")]
    [InlineData("US/Eastern")]
    [InlineData("Mars/Olympus_Mons")]
    public void AnExpertsAvailabilityRefusesANonIanaZoneWithTheHint(string id)
    {
        var errors = Validate(new Availability { TimeZone = id });

        var error = Assert.Single(errors, error => error.MemberNames.Contains(nameof(Availability.TimeZone)));
        Assert.Equal($"'{id}' is not an IANA time zone. Use an IANA time zone such as Europe/Berlin.", error.ErrorMessage);
    }

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("UTC")]
    public void AnExpertsAvailabilityAcceptsAnIanaZoneAndUtc(string id) =>
        Assert.Empty(Validate(new Availability { TimeZone = id }));

    private static List<ValidationResult> Validate(Availability availability)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(availability, new ValidationContext(availability), results, validateAllProperties: true);
        return results;
    }
}
