using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Web.Api;
using Portfolio.Web.Content;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Site;

namespace Portfolio.Web.Booking;

/// <summary>
/// Body of <c>POST /api/v1/bookings</c>. <c>bookingType</c>: the slug of one of the expert's booking types (default: the
/// first). <c>answers</c>: the type's questions answered, by key (text, a choice, or true/false for a checkbox).
/// <c>service</c> instead of <c>expert</c>: any free expert who offers that service gets the meeting.
/// </summary>
public sealed record BookingBody(string? Expert, DateTime? Start, string? Name, string? Email, string? Company, string? Topic, string? Notes, string? TimeZone,
    string? BookingType = null, Dictionary<string, JsonElement>? Answers = null, string? Service = null);

/// <summary>A booking type as the API lists it.</summary>
public sealed record BookingTypeInfo(string Slug, string Title, string Description, int Minutes, IReadOnlyList<BookingQuestionInfo> Questions);

/// <summary>A question of a booking type: its key in <c>answers</c>, how it is answered, whether it must be.</summary>
public sealed record BookingQuestionInfo(string Key, string Label, string Help, string Kind, bool Required, int? MaxLength, IReadOnlyList<string>? Options);

/// <summary>A free slot: UTC times plus the expert's local times.</summary>
public sealed record FreeSlot(DateTime Start, DateTime End, string ExpertLocalStart, string ExpertLocalEnd, string ExpertTimeZone);

public static class BookingsApi
{
    public static RouteGroupBuilder MapBookingsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/experts/{slug}/slots", GetSlotsAsync)
            .WithTags("Bookings")
            .WithName("GetFreeSlots")
            .WithSummary("Free consultation slots of an expert")
            .WithDescription("Slots whose start lies in [from, from + days), in UTC, of the booking type given by its slug (default: the first), honouring existing bookings, buffers, minimum notice, the daily limit, the booking horizon and daylight-saving changes.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimitingExtensions.Reads);

        api.MapGet("/experts/{slug}/booking-types", GetBookingTypesAsync)
            .WithTags("Bookings")
            .WithName("GetBookingTypes")
            .WithSummary("The kinds of meeting an expert offers")
            .WithDescription("The first is the default. Each has its length and the questions a booking of it answers (answers.{key}).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimitingExtensions.Reads);

        api.MapGet("/services/{slug}/slots", GetServiceSlotsAsync)
            .WithTags("Bookings")
            .WithName("GetServiceSlots")
            .WithSummary("Free times of any expert who offers a service")
            .WithDescription("The union of the free slots of the service's experts (of the booking type given by slug, else each one's default). Book one with service instead of expert: an expert free then gets it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimitingExtensions.Reads);

        api.MapPost("/bookings", BookAsync)
            .WithTags("Bookings")
            .WithName("BookConsultation")
            .WithSummary("Book a consultation in a free slot")
            .WithDescription("Answers 201 with a manage URL (cancel or reschedule). 409 when the slot was taken or the expert's day is fully booked, 400 when it is not a slot the expert offers (a start before now or past the booking horizon included). An Idempotency-Key header makes retries safe: the same key and body give the same answer and never a second booking.")
            .Accepts<BookingBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimitingExtensions.BookingWrites)
            .WithMetadata(new RequestSizeLimitAttribute(ApiExtensions.MaxBodyBytes));
        return api;
    }

    private static async Task<Results<Ok<List<BookingTypeInfo>>, ProblemHttpResult>> GetBookingTypesAsync(
        string slug, BookingService bookings, CancellationToken cancellationToken)
    {
        var expert = await bookings.FindExpertAsync(slug, cancellationToken);
        if (expert is null)
        {
            return TypedResults.Problem(title: "There is no expert with that name.", statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(expert.Types.Select(type => new BookingTypeInfo(type.Slug, type.Title, type.Description, type.Minutes,
            type.Questions.Select(question => new BookingQuestionInfo(
                question.Key, question.Label, question.Help, JsonNamingPolicy.CamelCase.ConvertName(question.Kind.ToString()), question.Required,
                question.Kind is BookingQuestionKind.ShortText or BookingQuestionKind.LongText ? question.MaxLength : null,
                question.Kind == BookingQuestionKind.SingleChoice ? question.Options : null)).ToList())).ToList());
    }

    private static async Task<Results<Ok<List<FreeSlot>>, ValidationProblem, ProblemHttpResult>> GetServiceSlotsAsync(
        string slug, string? from, int? days, string? type, BookingService bookings, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ReadRange(from, days, clock) is not ({ } fromDate, { } span))
        {
            return TypedResults.ValidationProblem(RangeErrors(from, days));
        }

        var service = await bookings.FindServiceAsync(slug, cancellationToken);
        if (service is null)
        {
            return TypedResults.Problem(title: "There is no service with that name.", statusCode: StatusCodes.Status404NotFound);
        }

        var slots = await bookings.FreeSlotsAsync(service, type, fromDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), span, cancellationToken);
        // The experts' zones may differ; the service's times are told in UTC.
        return TypedResults.Ok(slots.Select(slot => new FreeSlot(slot.StartUtc, slot.EndUtc,
            slot.StartUtc.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), slot.EndUtc.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            "UTC")).ToList());
    }

    private static (DateOnly?, int?) ReadRange(string? from, int? days, TimeProvider clock) =>
        RangeErrors(from, days).Count > 0
            ? (null, null)
            : (string.IsNullOrEmpty(from) ? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) : DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture), days ?? 14);

    private static Dictionary<string, string[]> RangeErrors(string? from, int? days)
    {
        var errors = new FieldErrors();
        if (!string.IsNullOrEmpty(from) && !DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add("from", "Use a date like 2026-11-23.");
        }

        if ((days ?? 14) is < 1 or > 62)
        {
            errors.Add("days", "Ask for 1 to 62 days.");
        }

        return errors.ToDictionary();
    }

    private static async Task<Results<Ok<List<FreeSlot>>, ValidationProblem, ProblemHttpResult>> GetSlotsAsync(
        string slug, string? from, int? days, string? type, BookingService bookings, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ReadRange(from, days, clock) is not ({ } fromDate, { } span))
        {
            return TypedResults.ValidationProblem(RangeErrors(from, days));
        }

        var expert = await bookings.FindExpertAsync(slug, cancellationToken);
        if (expert is null)
        {
            // Through the problem-details service like every other error: application/problem+json with a traceId.
            return TypedResults.Problem(title: "There is no expert with that name.", statusCode: StatusCodes.Status404NotFound);
        }

        if (expert.FindType(type) is not { } bookingType)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["type"] = [$"{expert.Profile.Name} offers no such meeting. Choose one of: {string.Join(", ", expert.Types.Select(t => t.Slug))}."],
            });
        }

        var slots = await bookings.FreeSlotsAsync(expert, fromDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), span, cancellationToken, type: bookingType);
        var zone = expert.Zone;
        return TypedResults.Ok(slots.Select(slot => new FreeSlot(
            slot.StartUtc,
            slot.EndUtc,
            TimeZoneInfo.ConvertTimeFromUtc(slot.StartUtc, zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            TimeZoneInfo.ConvertTimeFromUtc(slot.EndUtc, zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            zone.Id)).ToList());
    }

    private static async Task<Results<Created<BookingConfirmation>, ValidationProblem, ProblemHttpResult>> BookAsync(
        HttpRequest request, BookingService bookings, BookingStore store, IdempotentReplies replies, PublishedContentCache content, SiteUrls urls,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<BookingBody>(request);
        if (error is not null)
        {
            return error;
        }

        IdempotencyClaim? claim = null;
        if (idempotencyKey is not null)
        {
            if (idempotencyKey.Length is 0 or > 100 || idempotencyKey.Any(char.IsControl))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["Use 1 to 100 printable characters, e.g. a UUID."] });
            }

            claim = new IdempotencyClaim(idempotencyKey, Fingerprint(body!));
            if (await ReplayAsync(store, replies, claim, cancellationToken) is { } replay)
            {
                return replay;
            }
        }

        var (answers, answerErrors) = ReadAnswers(body!.Answers);
        if (answerErrors.Any)
        {
            return TypedResults.ValidationProblem(answerErrors.ToDictionary(), title: "Some fields need your attention.");
        }

        var snapshot = await content.GetAsync(cancellationToken);
        var baseUrl = urls.BaseUrl(request, snapshot.Singleton<SiteSettings>());
        var result = await bookings.BookAsync(
            new BookingRequest(body.Expert, body.Start, body.Name, body.Email, body.Company, body.Topic, body.Notes, body.TimeZone,
                body.BookingType, answers, body.Service),
            baseUrl, claim, cancellationToken);

        switch (result)
        {
            case BookingResult.Created created:
                return TypedResults.Created($"/api/v1/bookings/{created.Confirmation.Id}", created.Confirmation);
            case BookingResult.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "Some fields need your attention.");
            case BookingResult.Taken taken:
                // A concurrent request with the same key may have won: then it is that request's answer.
                if (claim is not null && await ReplayAsync(store, replies, claim, cancellationToken) is { } winner)
                {
                    return winner;
                }

                return TypedResults.Problem(title: taken.Title, detail: taken.Reason, statusCode: StatusCodes.Status409Conflict);
            default:
                return TypedResults.Problem(
                    title: string.IsNullOrEmpty(body.Expert) && !string.IsNullOrEmpty(body.Service) ? "There is no service with that name." : "There is no expert with that name.",
                    statusCode: StatusCodes.Status404NotFound);
        }
    }

    /// <summary>The answers as text: a string as it is, true/false for a checkbox, null for none; anything else is a field error.</summary>
    private static (Dictionary<string, string?> Answers, FieldErrors Errors) ReadAnswers(Dictionary<string, JsonElement>? given)
    {
        var answers = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new FieldErrors();
        foreach (var (key, value) in given ?? [])
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    answers[key] = value.GetString();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    answers[key] = value.ValueKind == JsonValueKind.True ? "true" : "false";
                    break;
                case JsonValueKind.Null:
                    answers[key] = null;
                    break;
                default:
                    errors.Add(BookingAnswers.Field(key.Length > 40 ? key[..40] : key), "Answer with text, or true or false for a checkbox.");
                    break;
            }
        }

        return (answers, errors);
    }

    /// <summary>The earlier answer for this key, or a 422 when the key was used with another body.</summary>
    private static async Task<Results<Created<BookingConfirmation>, ValidationProblem, ProblemHttpResult>?> ReplayAsync(
        BookingStore store, IdempotentReplies replies, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        var previous = await store.FindIdempotentAsync(IdempotencyClaim.BookingsScope, claim.Key, cancellationToken);
        if (previous is null)
        {
            return null;
        }

        if (previous.RequestHash != claim.Fingerprint)
        {
            return TypedResults.Problem(title: "This Idempotency-Key was used for a different request.",
                detail: "Use a new key for a new booking.", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        if (replies.Open(previous.ResponseJson) is not { } answer)
        {
            // The booking was made; only its stored answer cannot be decrypted any more (the key ring was lost).
            return TypedResults.Problem(title: "This Idempotency-Key was used for a booking whose answer can no longer be given.",
                detail: "The booking exists: its confirmation mail has the manage link.", statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Created($"/api/v1/bookings/{answer.Id}", answer);
    }

    /// <summary>
    /// The request as the booking sees it: the start as the UTC instant it names, so "…T09:00:00Z" and
    /// "…T10:00:00+01:00" (the same slot) count as the same request under one Idempotency-Key.
    /// </summary>
    internal static string Fingerprint(BookingBody body)
    {
        var normalised = body with { Start = body.Start is { } start ? BookingService.AsUtc(start) : null };
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(normalised, JsonSerializerOptions.Web)))).ToLowerInvariant();
    }
}
