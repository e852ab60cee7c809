using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Backoffice.Owner;

/// <summary>Availability at /umbraco/availability/{expert}: validated, saved as a new version, published, and followed by the slots API.</summary>
public sealed class OwnerAvailabilityTests(OwnerApp app) : IClassFixture<OwnerApp>
{
    [Fact]
    public async Task SavingAvailabilityPublishesANewVersionAndThePublicSlotsFollowIt()
    {
        var (owner, user) = await app.SignedInAsync(BackofficeRoles.Owner);
        var key = await KeyAsync("talha");
        var before = await app.WithContentAsync(content => content.GetDraftAsync(key));

        var saved = await owner.SubmitAsync("/umbraco/availability/talha", new()
        {
            ["Form.TimeZone"] = "America/New_York",
            ["Form.Windows[0].Day"] = "Wednesday",
            ["Form.Windows[0].Start"] = "10:00",
            ["Form.Windows[0].End"] = "12:00",
            ["Form.SlotMinutes"] = "60",
            ["Form.BufferMinutes"] = "0",
            ["Form.MinimumNoticeHours"] = "0",
            ["Form.HorizonDays"] = "30",
            ["Form.MaxPerDay"] = "4",
        }, "form.bo-availability");
        Assert.Equal("/umbraco/availability/talha?status=published", saved.Headers.Location?.PathAndQuery());
        var dayOff = await owner.SubmitAsync("/umbraco/availability/talha/calendar?month=2026-11", new()
        {
            ["New.Kind"] = "Off",
            ["New.From"] = "2026-11-11",
        }, "form[action*='handler=Add']");
        Assert.Equal("/umbraco/availability/talha/calendar?month=2026-11&status=added", dayOff.Headers.Location?.PathAndQuery());
        var slots = await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-02", 21);
        // Wednesdays 4 and 18 November (the 11th is a day off), 10:00 and 11:00 in New York.
        Assert.Equal(["2026-11-04T10:00", "2026-11-04T11:00", "2026-11-18T10:00", "2026-11-18T11:00"],
            slots.Select(slot => slot.ExpertLocalStart[..16]));
        Assert.All(slots, slot => Assert.Equal("America/New_York", slot.ExpertTimeZone));
        Assert.All(slots, slot => Assert.Equal(TimeSpan.FromHours(1), slot.End - slot.Start));

        var after = (await app.WithContentAsync(content => content.GetDraftAsync(key)))!;
        // Two versions: the weekly windows, then the day off.
        Assert.Equal(before!.LatestVersionNumber + 2, after.LatestVersionNumber);
        Assert.Equal(after.LatestVersionNumber, after.PublishedVersionNumber);
        var history = await app.WithContentAsync(content => content.GetHistoryAsync(key));
        Assert.Equal(user.Email, history[0].CreatedBy);
        var audit = await app.QueryAsync(db => db.AuditEntries.Where(e => e.Action == OwnerAudit.AvailabilityChanged && e.EntityId == key.ToString())
            .OrderByDescending(e => e.VersionNumber).FirstAsync());
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(after.LatestVersionNumber, audit.VersionNumber);

        // The form shows what is now in effect.
        var form = await owner.GetDocumentAsync("/umbraco/availability/talha");
        Assert.Equal("America/New_York", form.QuerySelector("select[name='Form.TimeZone'] option[selected]")!.GetAttribute("value"));
        Assert.Contains("3 date override(s)", form.Text());
    }

    [Fact]
    public async Task InvalidAvailabilityIsRefusedWithTheRulesOwnMessagesAndNothingIsSaved()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var key = await KeyAsync("maya-lindqvist");
        var before = (await app.WithContentAsync(content => content.GetDraftAsync(key)))!;

        var response = await owner.SubmitAsync("/umbraco/availability/maya-lindqvist", new()
        {
            ["Form.TimeZone"] = "Mars/Olympus_Mons",
            ["Form.Windows[0].Day"] = "Monday",
            ["Form.Windows[0].Start"] = "14:00",
            ["Form.Windows[0].End"] = "09:00",
            ["Form.SlotMinutes"] = "5",
            ["Form.BufferMinutes"] = "0",
            ["Form.MinimumNoticeHours"] = "0",
            ["Form.HorizonDays"] = "30",
            ["Form.MaxPerDay"] = "4",
        }, "form.bo-availability");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        var errors = page.QuerySelector(".bo-alert--error")!.TextContent;
        Assert.Contains("'Mars/Olympus_Mons' is not an IANA time zone", errors, StringComparison.Ordinal);
        Assert.Contains("A window must end after it starts.", errors, StringComparison.Ordinal);
        Assert.Equal("true", page.QuerySelector("#SlotMinutes")!.GetAttribute("aria-invalid"));
        Assert.Contains("Meeting length (minutes) must be between 15 and 240.", errors, StringComparison.Ordinal);
        var after = (await app.WithContentAsync(content => content.GetDraftAsync(key)))!;
        Assert.Equal(before.LatestVersionNumber, after.LatestVersionNumber);
    }

    [Fact]
    public async Task AWindowsTimeZoneIdIsRefusedWithTheIanaHint()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var key = await KeyAsync("maya-lindqvist");
        var before = (await app.WithContentAsync(content => content.GetDraftAsync(key)))!;

        var response = await owner.SubmitAsync("/umbraco/availability/maya-lindqvist", new()
        {
            ["Form.TimeZone"] = "W. Europe Standard Time",
            ["Form.Windows[0].Day"] = "Monday", ["Form.Windows[0].Start"] = "09:00", ["Form.Windows[0].End"] = "12:00",
            ["Form.SlotMinutes"] = "30", ["Form.BufferMinutes"] = "0", ["Form.MinimumNoticeHours"] = "0",
            ["Form.HorizonDays"] = "30", ["Form.MaxPerDay"] = "4",
        }, "form.bo-availability");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Html.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("'W. Europe Standard Time' is not an IANA time zone. Use an IANA time zone such as Europe/Berlin.",
            page.QuerySelector(".bo-alert--error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.QuerySelector("select[name='Form.TimeZone']")!.GetAttribute("aria-invalid"));
        var after = (await app.WithContentAsync(content => content.GetDraftAsync(key)))!;
        Assert.Equal(before.LatestVersionNumber, after.LatestVersionNumber);
    }

    [Fact]
    public async Task AnEditorsUnpublishedDraftIsNeitherPublishedNorLost()
    {
        var (owner, _) = await app.SignedInAsync(BackofficeRoles.Owner);
        var key = await KeyAsync("maya-lindqvist");
        var published = (ExpertProfile)(await app.WithContentAsync(content => content.GetDraftAsync(key)))!.Document;
        await app.WithContentAsync(content => content.SaveDraftAsync(key, published with { Role = "Draft role, not ready" }, "maya-lindqvist", "editor@example.com"));

        // Windows added and removed with the buttons, without JavaScript: the page comes back with one more row.
        var added = await owner.SubmitAsync("/umbraco/availability/maya-lindqvist", new()
        {
            ["Form.TimeZone"] = "Europe/Stockholm",
            ["Form.SlotMinutes"] = "30", ["Form.BufferMinutes"] = "10", ["Form.MinimumNoticeHours"] = "12",
            ["Form.HorizonDays"] = "28", ["Form.MaxPerDay"] = "3",
            ["Add"] = "window",
        }, "form.bo-availability");
        Assert.Single(Html.Parse(await added.Content.ReadAsStringAsync()).QuerySelectorAll("select[name^='Form.Windows']"));

        var saved = await owner.SubmitAsync("/umbraco/availability/maya-lindqvist", new()
        {
            ["Form.TimeZone"] = "Europe/Stockholm",
            ["Form.Windows[0].Day"] = "Thursday", ["Form.Windows[0].Start"] = "09:00", ["Form.Windows[0].End"] = "11:00",
            ["Form.SlotMinutes"] = "30", ["Form.BufferMinutes"] = "10", ["Form.MinimumNoticeHours"] = "12",
            ["Form.HorizonDays"] = "28", ["Form.MaxPerDay"] = "3",
        }, "form.bo-availability");
        Assert.Equal("/umbraco/availability/maya-lindqvist?status=published", saved.Headers.Location?.PathAndQuery());

        var item = (await app.WithContentAsync(content => content.GetDraftAsync(key)))!;
        var live = (ExpertProfile)await app.WithContentAsync(content => content.GetVersionDocumentAsync(key, item.PublishedVersionNumber!.Value));
        var draft = (ExpertProfile)item.Document;
        Assert.Equal(published.Role, live.Role);
        Assert.Equal("Draft role, not ready", draft.Role);
        Assert.Equal([DayOfWeek.Thursday], live.Availability.Windows.Select(window => window.Day));
        Assert.Equal([DayOfWeek.Thursday], draft.Availability.Windows.Select(window => window.Day));
        Assert.True(item.HasUnpublishedChanges);
        var slots = await ApiCalls.FreeSlotsAsync(app.CreateClient(), "maya-lindqvist", "2026-11-02", 14);
        Assert.NotEmpty(slots);
        Assert.All(slots, slot => Assert.Equal(DayOfWeek.Thursday,
            DateTime.Parse(slot.ExpertLocalStart, CultureInfo.InvariantCulture, DateTimeStyles.None).DayOfWeek));
    }

    private Task<Guid> KeyAsync(string slug) =>
        app.QueryAsync(db => db.ContentItems.Where(item => item.ContentType == "expertProfile" && item.Slug == slug).Select(item => item.Id).SingleAsync());
}
