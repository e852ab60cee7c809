using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;

namespace Portfolio.Tests.Content;

[ProviderIndependent]
public sealed class DocumentDiffTests
{
    private static ExpertProfile Expert(params FaqEntry[] faq) => new()
    {
        Name = "Talha",
        Role = "Architect",
        Summary = "Builds backends.",
        Faq = [.. faq],
        Availability = new Availability { TimeZone = "Europe/London", SlotMinutes = 45 },
    };

    [Fact]
    public void IdenticalDocumentsHaveNoChanges() =>
        Assert.Empty(DocumentDiff.Compare(Expert(new FaqEntry { Question = "Q", Answer = "A" }), Expert(new FaqEntry { Question = "Q", Answer = "A" })));

    [Fact]
    public void AChangeInsideANestedListIsNamedByItsPath()
    {
        var before = Expert(new FaqEntry { Question = "Q1", Answer = "A1" }, new FaqEntry { Question = "Q2", Answer = "A2" }, new FaqEntry { Question = "Q3", Answer = "Old" });
        var after = before with { Faq = [before.Faq[0], before.Faq[1], new FaqEntry { Question = "Q3", Answer = "New" }] };

        var change = Assert.Single(DocumentDiff.Compare(before, after));

        Assert.Equal("Faq[2].Answer", change.Path);
        Assert.Equal("Faq 3 › Answer", change.Label);
        Assert.Equal("Old", change.Before);
        Assert.Equal("New", change.After);
    }

    [Fact]
    public void AddedAndRemovedListEntriesAndNestedValuesShow()
    {
        var before = Expert(new FaqEntry { Question = "Q1", Answer = "A1" }) with { Skills = ["C#", "SQL"] };
        var after = Expert() with
        {
            Skills = ["C#", "SQL", "Rust"],
            Availability = new Availability { TimeZone = "Europe/Berlin", SlotMinutes = 60 },
        };

        var changes = DocumentDiff.Compare(before, after).ToDictionary(change => change.Path);

        Assert.True(changes["Faq[0].Question"].IsRemoved);
        Assert.True(changes["Faq[0].Answer"].IsRemoved);
        Assert.True(changes["Skills[2]"].IsAdded);
        Assert.Equal("Rust", changes["Skills[2]"].After);
        Assert.Equal(("Europe/London", "Europe/Berlin"), (changes["Availability.TimeZone"].Before, changes["Availability.TimeZone"].After));
        Assert.Equal(("45", "60"), (changes["Availability.SlotMinutes"].Before, changes["Availability.SlotMinutes"].After));
        Assert.DoesNotContain("Name", changes.Keys);
        Assert.DoesNotContain("DisplayName", changes.Keys);
    }

    [Fact]
    public void ChangesFollowTheOrderOfTheDocument()
    {
        var before = new Article { Title = "T", Summary = "S", Body = "B", PublishedOn = new DateOnly(2026, 1, 1), Tags = ["a"] };
        var after = before with { Title = "T2", PublishedOn = new DateOnly(2026, 2, 1), Tags = ["a", "b"] };

        var changes = DocumentDiff.Compare(before, after);

        Assert.Equal(["Title", "PublishedOn", "Tags[1]"], changes.Select(change => change.Path));
        Assert.Equal("2026-01-01", changes[1].Before);
    }
}
