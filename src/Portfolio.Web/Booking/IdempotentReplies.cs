using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Portfolio.Web.Booking;

/// <summary>
/// How the answer to a booking with an <c>Idempotency-Key</c> is kept (<see cref="IdempotentRequest.ResponseJson"/>).
/// The answer holds the manage URL, whose token is a bearer secret the site keeps nowhere else in plain text (the booking
/// stores only its hash), yet a retry must get the very same answer. Keeping only the booking's id would not do: the token
/// cannot be made again from its hash. So the answer is stored encrypted with ASP.NET Core Data Protection, the key ring
/// the app already keeps for antiforgery and cookies (<c>umbraco/data/keys</c>, shared by the instances like those):
/// the database alone does not give the token away.
/// </summary>
public sealed class IdempotentReplies(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Portfolio.Booking.IdempotentReply");

    public string Seal(BookingConfirmation answer) => _protector.Protect(JsonSerializer.Serialize(answer, JsonSerializerOptions.Web));

    /// <summary>
    /// The stored answer, or null when it can no longer be read (its key is gone from the key ring). An answer stored before
    /// answers were encrypted is plain JSON, and still read.
    /// </summary>
    public BookingConfirmation? Open(string stored)
    {
        try
        {
            var json = stored.StartsWith('{') ? stored : _protector.Unprotect(stored);
            return JsonSerializer.Deserialize<BookingConfirmation>(json, JsonSerializerOptions.Web);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
