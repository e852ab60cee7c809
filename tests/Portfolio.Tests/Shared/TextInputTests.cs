using Portfolio.Tests.Infrastructure;
namespace Portfolio.Tests.Shared;

/// <summary>Issue 13's fuzz run: half a surrogate pair in a form field made the booking form answer 500.</summary>
[ProviderIndependent]
public sealed class TextInputTests
{
    [Fact]
    public void FuzzFound_HalfASurrogatePairIsDroppedNotAnException()
    {
        // Built at run time: a lone surrogate in an attribute argument would be stored as U+FFFD.
        var cases = new (string Typed, string Expected)[]
        {
            ("Ada" + '\ud800' + " Lovelace", "Ada Lovelace"),
            ('\udc00' + "Ada", "Ada"),
            ("Ada " + '\ud83d', "Ada"),
            ("Ada \ud83d\ude00 Lovelace", "Ada \ud83d\ude00 Lovelace"),
        };

        foreach (var (typed, expected) in cases)
        {
            Assert.Equal(expected, TextInput.Clean(typed));
        }
    }

    [Fact]
    public void FuzzFound_NonCharactersAreDroppedNotAnException()
    {
        var cases = new (string Typed, string Expected)[]
        {
            ("Ada\uFFFF Lovelace", "Ada Lovelace"),
            ("\uFFFEAda", "Ada"),
            ("Ada\uFDD0", "Ada"),
            // U+1FFFF, the last code point of plane 1, is a noncharacter too.
            ("Ada \ud83f\udfff", "Ada"),
            ("Zoë \u00e9", "Zoë é"),
        };

        foreach (var (typed, expected) in cases)
        {
            Assert.Equal(expected, TextInput.Clean(typed));
        }
    }
}
