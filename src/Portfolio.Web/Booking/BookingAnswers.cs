using System.Text.Json;
using Portfolio.Web.Content;

namespace Portfolio.Web.Booking;

/// <summary>One answer as stored with a booking: the question's key and label as asked, and the cleaned answer.</summary>
public sealed record QuestionAnswer(string Key, string Label, string Value);

/// <summary>
/// A booking type's questions answered: cleaned, checked against the questions (required, length, choice among the
/// options) and stored with the booking as JSON.
/// </summary>
public static class BookingAnswers
{
    /// <summary>The field name of a question's answer in the API's errors and the form: <c>answers.team-size</c>.</summary>
    public static string Field(string key) => "answers." + key;

    /// <summary>
    /// Checks <paramref name="given"/> (key → raw answer; a checkbox answers "true" or nothing) against the type's
    /// questions. Answers to questions the type does not ask are errors, so a typo in a key is not silently dropped.
    /// </summary>
    public static List<QuestionAnswer> Validate(BookingType type, IReadOnlyDictionary<string, string?>? given, FieldErrors errors)
    {
        given ??= new Dictionary<string, string?>();
        var answers = new List<QuestionAnswer>();
        foreach (var unknown in given.Keys.Where(key => type.Questions.All(question => question.Key != key)).Order(StringComparer.Ordinal))
        {
            errors.Add(Field(unknown.Length > 40 ? unknown[..40] : unknown), $"\"{type.Title}\" asks no question with this key.");
        }

        foreach (var question in type.Questions)
        {
            var field = Field(question.Key);
            var raw = given.GetValueOrDefault(question.Key);
            switch (question.Kind)
            {
                case BookingQuestionKind.Checkbox:
                    var ticked = raw is not null && (raw.Equals("true", StringComparison.OrdinalIgnoreCase) || raw == "on");
                    if (raw is not null && !ticked && !raw.Equals("false", StringComparison.OrdinalIgnoreCase))
                    {
                        errors.Add(field, $"Answer \"{question.Label}\" with true or false.");
                    }
                    else if (question.Required && !ticked)
                    {
                        errors.Add(field, $"Tick \"{question.Label}\" to book.");
                    }

                    answers.Add(new QuestionAnswer(question.Key, question.Label, ticked ? "Yes" : "No"));
                    break;
                case BookingQuestionKind.SingleChoice:
                    var choice = TextInput.Clean(raw);
                    if (choice.Length == 0)
                    {
                        if (question.Required)
                        {
                            errors.Add(field, $"Choose an answer to \"{question.Label}\".");
                        }
                    }
                    else if (!question.Options.Contains(choice, StringComparer.Ordinal))
                    {
                        errors.Add(field, $"Choose one of the answers to \"{question.Label}\": {string.Join(", ", question.Options)}.");
                    }
                    else
                    {
                        answers.Add(new QuestionAnswer(question.Key, question.Label, choice));
                    }

                    break;
                default:
                    var multiline = question.Kind == BookingQuestionKind.LongText;
                    var text = TextInput.CleanOptional(raw, multiline);
                    if (text is null)
                    {
                        if (question.Required)
                        {
                            errors.Add(field, $"Answer \"{question.Label}\".");
                        }
                    }
                    else if (FieldErrors.CharacterCount(text) > question.MaxLength)
                    {
                        errors.Add(field, $"The answer to \"{question.Label}\" must be at most {question.MaxLength} characters.");
                    }
                    else
                    {
                        answers.Add(new QuestionAnswer(question.Key, question.Label, text));
                    }

                    break;
            }
        }

        return answers;
    }

    public static string? ToJson(IReadOnlyList<QuestionAnswer> answers) =>
        answers.Count == 0 ? null : JsonSerializer.Serialize(answers, JsonSerializerOptions.Web);

    /// <summary>The answers stored with a booking; none for a booking without (or with unreadable) answers.</summary>
    public static IReadOnlyList<QuestionAnswer> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<QuestionAnswer>>(json, JsonSerializerOptions.Web) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
