using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Pages;

/// <summary>
/// A booking's own page at <c>/bookings/manage/{token}</c>, reached after booking (<c>?booked=1</c>) and from
/// the link in the mails: the confirmation banner, the status and time, the move form (<c>#move-form</c>, its
/// times in <c>#move-slots</c>) and the cancel form (<c>#cancel-form</c>); <c>#booking-locked</c> once it is
/// too close to change.
/// </summary>
public sealed class ManagePage : FormPage
{
    public const string PathPrefix = "/bookings/manage/";

    public ManagePage(IPage page)
        : base(page)
    {
        MoveSlots = new SlotList(this, "move");
    }

    /// <summary>"You're booked", "Your consultation has moved", "… is cancelled"; focused on load.</summary>
    public ILocator Confirmation => Page.Locator("#booking-confirmation");

    /// <summary>Confirmed, Cancelled or Taken place.</summary>
    public ILocator Status => Page.Locator("#booking-status");

    /// <summary>The time in the visitor's zone: "Tuesday 3 November 2026, 04:30–05:15 (America/New_York)".</summary>
    public ILocator Time => Page.Locator("#booking-time");

    public ILocator MoveForm => Page.Locator("#move-form");

    public SlotList MoveSlots { get; }

    public ILocator MoveButton => MoveForm.Locator("button[type='submit']");

    public ILocator CancelForm => Page.Locator("#cancel-form");

    public ILocator CancelButton => CancelForm.Locator("button[type='submit']");

    public ILocator Locked => Page.Locator("#booking-locked");

    /// <summary>The unguessable token in the page's address.</summary>
    public string Token => new Uri(Page.Url).AbsolutePath[PathPrefix.Length..];

    /// <summary>Tabs on to "Move booking", presses Enter and expects the page again with the "moved" banner.</summary>
    public async Task MoveByKeyboardAsync()
    {
        await TabOnToAsync(MoveButton, "the Move booking button");
        await SubmitAndExpectRedirectAsync(() => Page.Keyboard.PressAsync("Enter"), PathPrefix, "Moving the booking");
    }

    /// <summary>Tabs on to "Move booking" and presses Enter, expecting the form to be turned down.</summary>
    public async Task SubmitMoveExpectingErrorsAsync()
    {
        await TabOnToAsync(MoveButton, "the Move booking button");
        await Page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Tabs on to "Cancel booking", presses Enter and expects the page again with the "cancelled" banner.</summary>
    public async Task CancelByKeyboardAsync()
    {
        await TabOnToAsync(CancelButton, "the Cancel booking button");
        await SubmitAndExpectRedirectAsync(() => Page.Keyboard.PressAsync("Enter"), PathPrefix, "Cancelling the booking");
    }
}
