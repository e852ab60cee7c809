using Microsoft.AspNetCore.Http;
using Portfolio.Web.Booking;
using Portfolio.Web.Content;
using Portfolio.Web.Site.Pages.Shared;
using Portfolio.Web.Site.Pages.Team;

namespace Portfolio.Web.Site.Pages.Bookings;

/// <summary>What an expert's booking page and a service's share: the details fields, the questions, the summary of the meeting.</summary>
public static class BookingPageParts
{
    /// <summary>The details a visitor gives, with what they posted and the server's errors.</summary>
    public static IReadOnlyList<FormField> Fields(FormErrors errors, string? name, string? email, string? company, string? topic, string? notes, string whoPrepares) =>
    [
        FormField.Required("name", "booking-name", "Your name", "your name", 100) with { Value = name, Error = errors.For("name"), Autocomplete = "name" },
        FormField.Email("email", "booking-email", "E-mail address") with
        {
            Value = email, Error = errors.For("email"), Hint = "We'll send the calendar invitation and a link to change the booking here.",
        },
        FormField.Optional("company", "booking-company", "Company", "company", 100) with { Value = company, Error = errors.For("company"), Autocomplete = "organization" },
        FormField.Required("topic", "booking-topic", "Topic", "a topic", 150) with
        {
            Value = topic, Error = errors.For("topic"), Hint = "One line about what you'd like to discuss, e.g. \"Our API is slow under load\".",
            Autocomplete = "off",
        },
        FormField.Optional("notes", "booking-notes", "Notes", "notes", 2000, FormFieldKind.TextArea) with
        {
            Value = notes, Error = errors.For("notes"), Rows = 5,
            Hint = $"Anything that helps {whoPrepares} prepare: context, links, questions. Up to 2000 characters.",
        },
    ];

    /// <summary>The type's questions as fields, with the answers posted (<c>answers.{key}</c>) and their errors.</summary>
    public static IReadOnlyList<QuestionField> Questions(BookingType type, HttpRequest request, FormErrors errors)
    {
        var posted = request.HasFormContentType ? PostedAnswers(type, request) : [];
        return type.Questions.Select(question => new QuestionField(question, "booking-q-" + question.Key,
            posted.GetValueOrDefault(question.Key), errors.For(BookingAnswers.Field(question.Key)))).ToList();
    }

    /// <summary>The answers as posted: <c>answers.{key}</c>; an unticked checkbox posts nothing.</summary>
    public static Dictionary<string, string?> PostedAnswers(BookingType type, HttpRequest request) =>
        type.Questions.Where(question => request.Form.ContainsKey(BookingAnswers.Field(question.Key)))
            .ToDictionary(question => question.Key, question => (string?)request.Form[BookingAnswers.Field(question.Key)].ToString());

    /// <summary>How the meeting takes place, as the page's summary says it before booking ("Video call"); null without a place.</summary>
    public static string? PlaceKind(MeetingLocation place) => place.Kind switch
    {
        MeetingLocationKind.VideoRoom or MeetingLocationKind.VideoRoomPerBooking => "Video call (the link comes with your invitation)",
        MeetingLocationKind.Phone => "Phone call",
        MeetingLocationKind.Address => "In person: " + place.Value,
        _ => null,
    };

    /// <summary>
    /// The two weeks of free times offered again inside the details form when the server turned the chosen time down;
    /// from the day of that time (or today), so the visitor picks a near one without losing what they typed.
    /// </summary>
    public static SlotPicker Alternatives(IEnumerable<Slot> free, TimeZoneInfo zone, TimeZoneInfo expertZone, SlotWindow window, int slotMinutes,
        string pagePath, string? error) =>
        SlotPicker.Create("booking", "Other free times", free, zone, zoneChosen: true, expertZone, window, slotMinutes, pagePath, selected: null, error)
            with { EarlierUrl = null, LaterUrl = null };

    /// <summary>The day a window of alternatives starts on: the posted time's day, else today.</summary>
    public static string? AlternativesFrom(string? start) =>
        SlotPicker.ParseStart(start) is { } parsed ? SlotWindow.Iso(DateOnly.FromDateTime(parsed)) : null;
}
