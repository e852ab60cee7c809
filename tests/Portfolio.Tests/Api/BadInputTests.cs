using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Api;

/// <summary>
/// A table of bad requests for every public endpoint: each is answered 400, 404, 409, 413 or 415 as
/// problem details with a trace id and nothing internal, never 500. Text that looks like markup or
/// carries line breaks is stored as text and never reaches a mail header. Runs over real HTTP (Kestrel),
/// so body size limits and request parsing are the production server's.
/// </summary>
public sealed class BadInputTests(UnthrottledKestrelPortfolioApp app) : IClassFixture<UnthrottledKestrelPortfolioApp>
{
    /// <summary>A request body, how it is sent, and what must come back.</summary>
    public sealed record BadRequest(string Body, string? ContentType, int Status, string? Field = null, bool Chunked = false);

    private const string Json = "application/json";

    private static readonly Dictionary<string, BadRequest> ContactCases = new()
    {
        ["name missing"] = new(Without(ApiCalls.ContactMessage(), "name"), Json, 400, "name"),
        ["e-mail missing"] = new(Without(ApiCalls.ContactMessage(), "email"), Json, 400, "email"),
        ["subject missing"] = new(Without(ApiCalls.ContactMessage(), "subject"), Json, 400, "subject"),
        ["message missing"] = new(Without(ApiCalls.ContactMessage(), "message"), Json, 400, "message"),
        ["an empty object"] = new("{}", Json, 400, "message"),
        ["a name of spaces only"] = new(With(ApiCalls.ContactMessage(), "name", "   \t "), Json, 400, "name"),
        ["a subject of control characters only"] = new(With(ApiCalls.ContactMessage(), "subject", "\u0000\u0001\u001b"), Json, 400, "subject"),
        ["name too long"] = new(With(ApiCalls.ContactMessage(), "name", new string('n', 101)), Json, 400, "name"),
        ["company too long"] = new(With(ApiCalls.ContactMessage(), "company", new string('c', 101)), Json, 400, "company"),
        ["subject too long"] = new(With(ApiCalls.ContactMessage(), "subject", new string('s', 151)), Json, 400, "subject"),
        ["message too short"] = new(With(ApiCalls.ContactMessage(), "message", "Hi there"), Json, 400, "message"),
        ["message too long"] = new(With(ApiCalls.ContactMessage(), "message", new string('m', 5001)), Json, 400, "message"),
        ["message of five emoji (ten UTF-16 units)"] = new(With(ApiCalls.ContactMessage(), "message", "😀😀😀😀😀"), Json, 400, "message"),
        ["a name that is a number"] = new(With(ApiCalls.ContactMessage(), "name", 123), Json, 400, "name"),
        ["a message that is an array"] = new(With(ApiCalls.ContactMessage(), "message", new JsonArray("a", "b")), Json, 400, "message"),
        ["an e-mail that is an object"] = new(With(ApiCalls.ContactMessage(), "email", new JsonObject { ["a"] = 1 }), Json, 400, "email"),
        ["an invalid e-mail"] = new(With(ApiCalls.ContactMessage(), "email", "not-an-address"), Json, 400, "email"),
        ["an e-mail without a dotted domain"] = new(With(ApiCalls.ContactMessage(), "email", "ada@localhost"), Json, 400, "email"),
        ["an e-mail with a header after CR/LF"] = new(With(ApiCalls.ContactMessage(), "email", "ada@example.com\r\nBcc: victim@example.com"), Json, 400, "email"),
        ["an e-mail that is too long"] = new(With(ApiCalls.ContactMessage(), "email", new string('a', 250) + "@example.com"), Json, 400, "email"),
        ["a lone surrogate in the message"] = new(RawMessage("\\ud800 is half a character, really"), Json, 400),
        ["a body that is null"] = new("null", Json, 400),
        ["a body that is an array"] = new("[]", Json, 400),
        ["a body that is a string"] = new("\"hello\"", Json, 400),
        ["malformed JSON"] = new("{\"name\": \"Ada\", ", Json, 400),
        ["a trailing comma"] = new(ApiCalls.ContactMessage().ToJsonString().TrimEnd('}') + ",}", Json, 400),
        ["a comment"] = new("/* hi */" + ApiCalls.ContactMessage().ToJsonString(), Json, 400),
        ["nesting deeper than JSON allows"] = new(new string('[', 5000) + new string(']', 5000), Json, 400),
        ["plain text"] = new("name=Ada", "text/plain", 415),
        ["a form post"] = new("name=Ada&email=ada%40example.com", "application/x-www-form-urlencoded", 415),
        ["no content type"] = new(ApiCalls.ContactMessage().ToJsonString(), null, 415),
        ["a body over 32 KB"] = new(With(ApiCalls.ContactMessage(), "message", new string('m', 40_000)), Json, 413),
        ["a body over 32 KB sent chunked"] = new(With(ApiCalls.ContactMessage(), "message", new string('m', 40_000)), Json, 413, Chunked: true),
    };

    private static readonly Dictionary<string, BadRequest> BookingCases = new()
    {
        ["expert missing"] = new(Without(Booking(), "expert"), Json, 400, "expert"),
        ["start missing"] = new(Without(Booking(), "start"), Json, 400, "start"),
        ["name missing"] = new(Without(Booking(), "name"), Json, 400, "name"),
        ["e-mail missing"] = new(Without(Booking(), "email"), Json, 400, "email"),
        ["topic missing"] = new(Without(Booking(), "topic"), Json, 400, "topic"),
        ["time zone missing"] = new(Without(Booking(), "timeZone"), Json, 400, "timeZone"),
        ["an empty object"] = new("{}", Json, 400, "expert"),
        ["an unknown time zone"] = new(With(Booking(), "timeZone", "Mars/Olympus_Mons"), Json, 400, "timeZone"),
        ["a Windows time zone id"] = new(With(Booking(), "timeZone", "W. Europe Standard Time"), Json, 400, "timeZone"),
        ["name too long"] = new(With(Booking(), "name", new string('n', 101)), Json, 400, "name"),
        ["company too long"] = new(With(Booking(), "company", new string('c', 101)), Json, 400, "company"),
        ["topic too long"] = new(With(Booking(), "topic", new string('t', 151)), Json, 400, "topic"),
        ["notes too long"] = new(With(Booking(), "notes", new string('x', 2001)), Json, 400, "notes"),
        ["an invalid e-mail"] = new(With(Booking(), "email", "grace(at)example.com"), Json, 400, "email"),
        ["an e-mail with a header after CR/LF"] = new(With(Booking(), "email", "grace@example.com\r\nBcc: victim@example.com"), Json, 400, "email"),
        ["a start that is not a date"] = new(With(Booking(), "start", "tomorrow at ten"), Json, 400, "start"),
        ["a start that is a number"] = new(With(Booking(), "start", 1762162200), Json, 400, "start"),
        ["an expert that is an object"] = new(With(Booking(), "expert", new JsonObject { ["slug"] = "talha" }), Json, 400, "expert"),
        ["a start in the past"] = new(With(Booking(), "start", "2026-10-27T09:30:00Z"), Json, 400, "start"),
        ["a start inside the minimum notice"] = new(With(Booking(), "start", "2026-11-02T14:00:00Z"), Json, 400, "start"),
        ["a start off the slot grid"] = new(With(Booking(), "start", "2026-11-03T09:31:00Z"), Json, 400, "start"),
        ["a start on a day without a window"] = new(With(Booking(), "start", "2026-11-06T09:30:00Z"), Json, 400, "start"),
        ["a start on a day off"] = new(With(Booking(), "start", "2026-12-24T09:30:00Z"), Json, 400, "start"),
        ["a start beyond the horizon"] = new(With(Booking(), "start", "2027-06-01T09:30:00Z"), Json, 400, "start"),
        ["the largest possible start"] = new(With(Booking(), "start", "9999-12-31T23:59:59Z"), Json, 400, "start"),
        ["the smallest possible start"] = new(With(Booking(), "start", "0001-01-01T00:00:00Z"), Json, 400, "start"),
        ["an unknown expert"] = new(With(Booking(), "expert", "nobody-here"), Json, 404),
        ["an expert that is not a slug"] = new(With(Booking(), "expert", "../talha"), Json, 404),
        ["a body that is null"] = new("null", Json, 400),
        ["a body that is an array"] = new("[]", Json, 400),
        ["malformed JSON"] = new("{\"expert\": \"talha\"", Json, 400),
        ["plain text"] = new("expert=talha", "text/plain", 415),
        ["XML"] = new("<booking/>", "application/xml", 415),
        ["a body over 32 KB"] = new(With(Booking(), "notes", new string('x', 40_000)), Json, 413),
        ["a body over 32 KB sent chunked"] = new(With(Booking(), "notes", new string('x', 40_000)), Json, 413, Chunked: true),
    };

    private static readonly Dictionary<string, (string Url, int Status, string? Field)> SlotCases = new()
    {
        ["an unknown expert"] = (ApiCalls.Slots("nobody-here"), 404, null),
        ["an expert that is not a slug"] = ("/api/v1/experts/Talha%21/slots", 404, null),
        ["a service slug instead of an expert"] = (ApiCalls.Slots("nonexistent-service-x"), 404, null),
        ["a month 13"] = (ApiCalls.Slots("talha", from: "2026-13-01"), 400, "from"),
        ["a date without leading zeros"] = (ApiCalls.Slots("talha", from: "2026-11-3"), 400, "from"),
        ["a word for a date"] = (ApiCalls.Slots("talha", from: "tomorrow"), 400, "from"),
        ["a date with a time"] = (ApiCalls.Slots("talha", from: "2026-11-03T10:00:00Z"), 400, "from"),
        ["zero days"] = (ApiCalls.Slots("talha", days: 0), 400, "days"),
        ["negative days"] = (ApiCalls.Slots("talha", days: -1), 400, "days"),
        ["too many days"] = (ApiCalls.Slots("talha", days: 63), 400, "days"),
        ["days that are not a number"] = ("/api/v1/experts/talha/slots?days=abc", 400, null),
        ["days that do not fit an integer"] = ("/api/v1/experts/talha/slots?days=99999999999", 400, null),
        ["days with a fraction"] = ("/api/v1/experts/talha/slots?days=1.5", 400, null),
    };

    public static TheoryData<string> ContactCaseNames => new(ContactCases.Keys);

    public static TheoryData<string> BookingCaseNames => new(BookingCases.Keys);

    public static TheoryData<string> SlotCaseNames => new(SlotCases.Keys);

    [Theory]
    [MemberData(nameof(ContactCaseNames))]
    public async Task ABadContactMessageIsRefusedWithProblemDetailsAndNeverA500(string @case)
    {
        var request = ContactCases[@case];
        var before = await CountAsync();

        var response = await SendAsync(ApiCalls.ContactMessages, request);

        var problem = await ApiCalls.ProblemAsync(response, request.Status);
        if (request.Field is not null)
        {
            Assert.Contains(request.Field, ApiCalls.ErrorFields(problem));
        }

        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [MemberData(nameof(BookingCaseNames))]
    public async Task ABadBookingIsRefusedWithProblemDetailsAndNeverA500(string @case)
    {
        var request = BookingCases[@case];
        var before = await CountAsync();

        var response = await SendAsync(ApiCalls.Bookings, request);

        var problem = await ApiCalls.ProblemAsync(response, request.Status);
        if (request.Field is not null)
        {
            Assert.Contains(request.Field, ApiCalls.ErrorFields(problem));
        }

        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [MemberData(nameof(SlotCaseNames))]
    public async Task ABadSlotsQueryIsRefusedWithProblemDetailsAndNeverA500(string @case)
    {
        var (url, status, field) = SlotCases[@case];

        var response = await app.CreateClient().GetAsync(url);

        var problem = await ApiCalls.ProblemAsync(response, status);
        if (field is not null)
        {
            Assert.Contains(field, ApiCalls.ErrorFields(problem));
        }
    }

    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("2030-01-01")]
    public async Task AFromDateBeyondTheHorizonHasNoSlotsRatherThanAnError(string from)
    {
        var slots = await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", from, 62);

        Assert.Empty(slots);
    }

    [Fact]
    public async Task AFromDateInThePastListsOnlySlotsThatCanStillBeBooked()
    {
        var client = app.CreateClient();

        var fromYearOne = await ApiCalls.FreeSlotsAsync(client, "talha", "0001-01-01", 62);
        var fromLastMonth = await ApiCalls.FreeSlotsAsync(client, "talha", "2026-10-01", 62);

        Assert.Empty(fromYearOne);
        Assert.NotEmpty(fromLastMonth);
        var noticeEnds = app.Clock.GetUtcNow().UtcDateTime.AddHours(24);
        Assert.All(fromLastMonth, slot => Assert.True(slot.Start >= noticeEnds, $"{slot.Start:o} is inside the notice"));
    }

    [Fact]
    public async Task ATooLongIdempotencyKeyIsRefused()
    {
        var slot = (await ApiCalls.FreeSlotsAsync(app.CreateClient(), "talha", "2026-11-03", 14))[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiCalls.Bookings) { Content = ApiCalls.Json(ApiCalls.Booking(slot.Start)) };
        request.Headers.Add("Idempotency-Key", new string('k', 101));

        var response = await app.CreateClient().SendAsync(request);

        var problem = await ApiCalls.ProblemAsync(response, 400);
        Assert.Contains("Idempotency-Key", ApiCalls.ErrorFields(problem));
    }

    [Fact]
    public async Task ASlotThatIsAlreadyTakenIsAConflict()
    {
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 14))[^1];
        var first = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(ApiCalls.Booking(slot.Start)));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var someoneElse = ApiCalls.Booking(slot.Start);
        someoneElse["email"] = "someone.else@example.com";
        var second = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(someoneElse));

        await ApiCalls.ProblemAsync(second, 409);
        Assert.DoesNotContain(await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 14), free => free.Start == slot.Start);
    }

    [Fact]
    public async Task ScriptTagsInAContactMessageAreStoredAsTextAndEncodedInTheMail()
    {
        const string script = "<script>alert('x')</script>";
        var body = ApiCalls.ContactMessage();
        body["name"] = $"Mallory {script}";
        body["subject"] = $"Hi {script}";
        body["message"] = $"Please look at this: {script} <img src=x onerror=alert(1)> & thanks {Guid.NewGuid():N}";

        var response = await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await app.WithDbAsync(async db =>
        {
            var stored = await db.ContactMessages.SingleAsync(message => message.Id == id);
            Assert.Equal(body["name"]!.GetValue<string>(), stored.Name);
            Assert.Equal(body["subject"]!.GetValue<string>(), stored.Subject);
            Assert.Equal(body["message"]!.GetValue<string>(), stored.Message);
            var mail = await db.EmailOutbox.OrderByDescending(m => m.Id).FirstAsync(m => m.Kind == "contact-notification");
            Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains(script, mail.TextBody, StringComparison.Ordinal); // plain text stays as written
        });
    }

    [Fact]
    public async Task ScriptTagsInABookingAreStoredAsTextAndShownEncodedOnTheManagePageAndInTheMails()
    {
        const string script = "<script>alert('x')</script>";
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 14))[0];
        var body = ApiCalls.Booking(slot.Start);
        body["name"] = $"Mallory {script}";
        body["email"] = "mallory.script@example.com";
        body["topic"] = $"Topic {script}";
        body["notes"] = $"Notes {script}\nsecond line";

        var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<BookingAnswer>())!;
        await app.WithDbAsync(async db =>
        {
            var stored = await db.Bookings.SingleAsync(booking => booking.Id == answer.Id);
            Assert.Equal(body["name"]!.GetValue<string>(), stored.Name);
            Assert.Equal(body["topic"]!.GetValue<string>(), stored.Topic);
            Assert.Equal(body["notes"]!.GetValue<string>(), stored.Notes);
            var mails = await MailsAboutAsync(db, stored.Email);
            // The client's confirmation, the expert's and the owner's copies (both Reply-To the client).
            Assert.Equal(3, mails.Count);
            Assert.All(mails, mail =>
            {
                Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("&lt;script&gt;", mail.HtmlBody, StringComparison.Ordinal);
            });
        });

        // The client's manage page shows the name and topic as text: encoded in the HTML, no script element.
        var page = await client.GetAsync(new Uri(answer.ManageUrl).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
        Assert.DoesNotContain(script, html, StringComparison.Ordinal);
        var document = Html.Parse(html);
        Assert.DoesNotContain(document.QuerySelectorAll("script"), element => element.TextContent.Contains("alert('x')", StringComparison.Ordinal));
        Assert.Contains(document.QuerySelectorAll("dd"), dd => dd.TextContent.Trim() == $"Topic {script}");
    }

    [Fact]
    public async Task LineBreaksInAContactMessageNeverReachAMailHeader()
    {
        var body = ApiCalls.ContactMessage();
        body["name"] = "Ada\r\nBcc: victim@example.com";
        body["subject"] = "Hello\r\nBcc: victim@example.com\nX-Injected: yes\rZ";

        var response = await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await app.WithDbAsync(async db =>
        {
            var stored = await db.ContactMessages.SingleAsync(message => message.Id == id);
            Assert.Equal("Hello Bcc: victim@example.com X-Injected: yes Z", stored.Subject);
            var mail = await db.EmailOutbox.OrderByDescending(m => m.Id).FirstAsync(m => m.Kind == "contact-notification");
            AssertHeaderSafe(mail);
            Assert.Equal("New message: Hello Bcc: victim@example.com X-Injected: yes Z", mail.Subject);
        });
    }

    [Fact]
    public async Task LineBreaksInABookingNeverReachAMailHeader()
    {
        var client = app.CreateClient();
        var slot = (await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 14))[0];
        var body = ApiCalls.Booking(slot.Start);
        body["name"] = "Eve\r\nBcc: victim@example.com";
        body["email"] = "eve.crlf@example.com";
        body["topic"] = "Scaling\r\nX-Injected: yes";

        var response = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<BookingAnswer>())!;
        await app.WithDbAsync(async db =>
        {
            var stored = await db.Bookings.SingleAsync(booking => booking.Id == answer.Id);
            var mails = await MailsAboutAsync(db, stored.Email);
            // The client's confirmation, the expert's and the owner's copies (both Reply-To the client).
            Assert.Equal(3, mails.Count);
            Assert.All(mails, AssertHeaderSafe);
            var confirmation = mails.Single(m => m.Kind == "booking-confirmation");
            Assert.Equal("Eve Bcc: victim@example.com", confirmation.ToName);
            Assert.Equal("eve.crlf@example.com", confirmation.ToAddress);
            Assert.Contains("SUMMARY:", confirmation.Calendar, StringComparison.Ordinal);
            Assert.DoesNotContain("\nBcc", confirmation.Calendar, StringComparison.Ordinal);
        });
    }

    /// <summary>A booking's two mails: the client's confirmation goes to them, the owner's notification replies to them.</summary>
    private static Task<List<EmailOutboxMessage>> MailsAboutAsync(Portfolio.Web.Data.PortfolioDbContext db, string clientEmail) =>
        db.EmailOutbox.Where(m => m.ToAddress == clientEmail || m.ReplyTo == clientEmail).ToListAsync();

    private static void AssertHeaderSafe(EmailOutboxMessage mail)
    {
        foreach (var header in new[] { mail.Subject, mail.ToName, mail.ToAddress, mail.ReplyTo ?? "", mail.MessageId })
        {
            Assert.DoesNotContain('\r', header);
            Assert.DoesNotContain('\n', header);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string url, BadRequest request)
    {
        HttpContent content;
        if (request.Chunked)
        {
            // No Content-Length: the limit must hold while reading, not only from the header.
            content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(request.Body)));
            if (request.ContentType is not null)
            {
                content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType);
            }
        }
        else
        {
            content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            if (request.ContentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType + (request.ContentType == Json ? "; charset=utf-8" : ""));
            }
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (request.Chunked)
        {
            message.Headers.TransferEncodingChunked = true;
        }

        return await app.CreateClient().SendAsync(message);
    }

    private Task<(int Messages, int Bookings, int Mails)> CountAsync() =>
        app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<Portfolio.Web.Data.PortfolioDbContext>();
            return (await db.ContactMessages.CountAsync(), await db.Bookings.CountAsync(), await db.EmailOutbox.CountAsync());
        });

    private static JsonObject Booking() => ApiCalls.Booking(new DateTime(2026, 11, 3, 9, 30, 0, DateTimeKind.Utc));

    private static string Without(JsonObject body, string field)
    {
        body.Remove(field);
        return body.ToJsonString();
    }

    private static string With(JsonObject body, string field, JsonNode? value)
    {
        body[field] = value;
        return body.ToJsonString();
    }

    /// <summary>A contact message whose text holds a raw JSON escape (here an unpaired surrogate).</summary>
    private static string RawMessage(string escapedText) =>
        ApiCalls.ContactMessage().ToJsonString().Replace("\"message\":\"", "\"message\":\"" + escapedText + " ", StringComparison.Ordinal);
}
