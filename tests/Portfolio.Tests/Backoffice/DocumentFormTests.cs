using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Portfolio.Web.Content;

using Portfolio.Web.Content.Editing;
using Portfolio.Tests.Infrastructure;
namespace Portfolio.Tests.Backoffice;

/// <summary>
/// The generic editor's form reading for the property shapes no sample document type has yet (yes/no, times,
/// lists of dates), so a future document type that uses them is edited correctly on day one.
/// </summary>
[ProviderIndependent]
public sealed class DocumentFormTests
{
    [Fact]
    public void EveryScalarShapeIsReadBackFromItsFields()
    {
        var state = new DocumentEditorState();
        var form = Form(new()
        {
            ["Document.Title"] = "  Padded title  ",
            ["Document.Notes"] = "Line one\r\nLine two\r\n\r\n",
            ["Document.Featured"] = new(["false", "true"]),
            ["Document.Hidden"] = "false",
            ["Document.Count"] = "-3",
            ["Document.Day"] = "Friday",
            ["Document.On"] = "2026-12-24",
            ["Document.At"] = "18:30",
            ["Document.Days[0]"] = "2026-01-01",
            ["Document.Days[1]"] = "2026-12-31",
        });

        var document = (EveryShape)DocumentForm.Read(typeof(EveryShape), form, state);

        Assert.Empty(state.Errors);
        Assert.Equal("Padded title", document.Title);
        Assert.Equal("Line one\nLine two", document.Notes);
        Assert.True(document.Featured);
        Assert.False(document.Hidden);
        Assert.Equal(-3, document.Count);
        Assert.Equal(DayOfWeek.Friday, document.Day);
        Assert.Equal(new DateOnly(2026, 12, 24), document.On);
        Assert.Equal(new TimeOnly(18, 30), document.At);
        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)], document.Days);
        Assert.Equal(
            [PropertyEditorKind.Text, PropertyEditorKind.TextArea, PropertyEditorKind.Checkbox, PropertyEditorKind.Checkbox, PropertyEditorKind.Number,
             PropertyEditorKind.Choice, PropertyEditorKind.Date, PropertyEditorKind.Time, PropertyEditorKind.ScalarList, PropertyEditorKind.Text],
            PropertyEditors.Of(typeof(EveryShape)).Select(property => property.Kind));
    }

    [Fact]
    public void ValuesThatDoNotParseAreKeptAsTypedWithAnErrorEach()
    {
        var state = new DocumentEditorState();
        var form = Form(new()
        {
            ["Document.Count"] = "ten",
            ["Document.Day"] = "Caturday",
            ["Document.On"] = "24/12/2026",
            ["Document.At"] = "half past six",
            ["Document.Days[0]"] = "",
        });

        DocumentForm.Read(typeof(EveryShape), form, state);

        Assert.Equal(new[] { "At", "Count", "Day", "Days[0]", "On" }, state.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ten", DocumentForm.Display(0, "Count", state));
        Assert.Equal("24/12/2026", DocumentForm.Display(default(DateOnly), "On", state));
    }

    [Fact]
    public void ListCommandsChangeOnlyTheNamedListAndIgnoreWhatIsNotOne()
    {
        var profile = new ExpertProfile { Skills = ["a", "b", "c"], TrackRecord = [new() { Contributions = ["x", "y"] }] };

        Assert.Equal("Skills", DocumentForm.ApplyListCommand(profile, "down:Skills[0]"));
        Assert.Equal("TrackRecord[0].Contributions", DocumentForm.ApplyListCommand(profile, "up:TrackRecord[0].Contributions[1]"));
        Assert.Equal("Skills", DocumentForm.ApplyListCommand(profile, "remove:Skills[2]"));
        Assert.Null(DocumentForm.ApplyListCommand(profile, "remove:Skills[9]"));
        Assert.Null(DocumentForm.ApplyListCommand(profile, "add:Name"));
        Assert.Null(DocumentForm.ApplyListCommand(profile, "explode:Skills[0]"));
        Assert.Null(DocumentForm.ApplyListCommand(profile, "add:GetType"));

        Assert.Equal(["b", "a"], profile.Skills);
        Assert.Equal(["y", "x"], profile.TrackRecord[0].Contributions);
    }

    private static FormCollection Form(Dictionary<string, StringValues> fields) => new(fields);

    private sealed record EveryShape : IDocument
    {
        [StringLength(100)] public string Title { get; init; } = "";
        [StringLength(5000)] public string Notes { get; init; } = "";
        public bool Featured { get; init; }
        public bool Hidden { get; init; } = true;
        public int Count { get; init; }
        public DayOfWeek Day { get; init; }
        public DateOnly On { get; init; }
        public TimeOnly At { get; init; }
        public List<DateOnly> Days { get; init; } = [];
        public string MetaDescription { get; init; } = "";
        [System.Text.Json.Serialization.JsonIgnore] public string DisplayName => Title;
    }
}
