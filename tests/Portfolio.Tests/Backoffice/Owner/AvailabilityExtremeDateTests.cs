using System.Net;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>
/// Finding 7 of issue 13, in the backoffice: the first and last dates a date can hold are ordinary days off on the
/// availability calendar; saving them, the public slots and the booking page that read them keep working.
/// </summary>
public sealed class AvailabilityExtremeDateTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    [Fact]
    public async Task Finding07_DaysOffOnTheFirstAndLastPossibleDatesAreSavedAndTheSlotsStillWork()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);

        var saved = await owner.SubmitAsync("/umbraco/availability/maya-lindqvist", new()
        {
            ["Form.TimeZone"] = "Pacific/Kiritimati",
            ["Form.Windows[0].Day"] = "Monday",
            ["Form.Windows[0].Start"] = "00:00",
            ["Form.Windows[0].End"] = "24:00",
            ["Form.SlotMinutes"] = "60",
            ["Form.BufferMinutes"] = "0",
            ["Form.MinimumNoticeHours"] = "0",
            ["Form.HorizonDays"] = "365",
            ["Form.MaxPerDay"] = "24",
        }, "form.bo-availability");
        Assert.Equal("/umbraco/availability/maya-lindqvist?status=published", saved.Headers.Location?.PathAndQuery());
        foreach (var day in new[] { "0001-01-01", "9999-12-31" })
        {
            var added = await owner.SubmitAsync($"/umbraco/availability/maya-lindqvist/calendar?day={day}", new()
            {
                ["New.Kind"] = "Off",
                ["New.From"] = day,
                ["New.To"] = day,
            }, "form[action*='handler=Add']");
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        var calendar = await owner.GetDocumentAsync("/umbraco/availability/maya-lindqvist/calendar?month=9999-12");
        Assert.Contains("Mon 1 Jan 0001", calendar.Text());
        Assert.Contains("Fri 31 Dec 9999", calendar.Text());
        var client = app.CreateClient();
        Assert.NotEmpty(await ApiCalls.FreeSlotsAsync(client, "maya-lindqvist", "2026-11-02", 14));
        Assert.Empty(await ApiCalls.FreeSlotsAsync(client, "maya-lindqvist", "9999-12-31", 62));
        Assert.Empty(await ApiCalls.FreeSlotsAsync(client, "maya-lindqvist", "0001-01-01", 62));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/team/maya-lindqvist/book?from=9999-12-31")).StatusCode);
    }
}
