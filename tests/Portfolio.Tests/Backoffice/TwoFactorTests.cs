using System.Net;
using System.Security.Cryptography;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice;

/// <summary>Administrators must use two-factor sign-in in this fixture.</summary>
public sealed class TwoFactorRequiredApp : BackofficeApp
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [.. base.Settings, new("Backoffice:RequireTwoFactorForAdministrators", "true")];
}

public sealed class TwoFactorTests(TwoFactorRequiredApp app) : IClassFixture<TwoFactorRequiredApp>
{
    [Fact]
    public async Task AnAdministratorIsSentToSetUpTwoFactorFirstThenSignsInWithACode()
    {
        var (admin, user) = await app.SignedInAsync(BackofficeRoles.Administrator);

        // Nothing else opens before two-factor is set up.
        Assert.Equal(BackofficeRoutes.TwoFactorSetup, (await admin.GetAsync("/umbraco")).Headers.Location?.PathAndQuery());
        var setup = await admin.GetDocumentAsync(BackofficeRoutes.TwoFactorSetup);
        var uri = setup.QuerySelectorAll(".bo-secret code").Select(code => code.TextContent).Single(text => text.StartsWith("otpauth://totp/", StringComparison.Ordinal));
        var secret = System.Web.HttpUtility.ParseQueryString(new Uri(uri).Query)["secret"]!;
        Assert.Contains(Uri.EscapeDataString(user.Email!), uri);

        var wrong = await admin.SubmitAsync(BackofficeRoutes.TwoFactorSetup, new() { ["Code"] = "000000" }, "form[action*='handler=Enable']");
        Assert.Contains("did not match", Html.Parse(await wrong.Content.ReadAsStringAsync()).Text());
        var enabled = await admin.SubmitAsync(BackofficeRoutes.TwoFactorSetup, new() { ["Code"] = Totp.Code(secret) }, "form[action*='handler=Enable']");
        var recoveryCodes = Html.Parse(await enabled.Content.ReadAsStringAsync()).QuerySelectorAll(".bo-codes code").Select(code => code.TextContent).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/umbraco")).StatusCode);

        // Next time, the password alone is not enough.
        var browser = app.CreateBrowser();
        var password = await browser.SignInAsync(user.Email!, BackofficeApp.Password);
        Assert.Equal("/umbraco/login/two-factor", password.Headers.Location?.PathAndQuery());
        Assert.StartsWith("/umbraco/login", (await browser.GetAsync("/umbraco")).Headers.Location?.PathAndQuery());
        var code = await browser.SubmitAsync("/umbraco/login/two-factor", new() { ["Code"] = Totp.Code(secret) });
        Assert.Equal("/umbraco", code.Headers.Location?.PathAndQuery());

        // A recovery code works once.
        var lostPhone = app.CreateBrowser();
        await lostPhone.SignInAsync(user.Email!, BackofficeApp.Password);
        Assert.Equal("/umbraco", (await lostPhone.SubmitAsync("/umbraco/login/recovery-code", new() { ["Code"] = recoveryCodes[0] })).Headers.Location?.PathAndQuery());
        var reused = app.CreateBrowser();
        await reused.SignInAsync(user.Email!, BackofficeApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await reused.SubmitAsync("/umbraco/login/recovery-code", new() { ["Code"] = recoveryCodes[0] })).StatusCode);
    }

    [Fact]
    public async Task OtherRolesAreNotForcedToUseTwoFactor()
    {
        var (editor, _) = await app.SignedInAsync(BackofficeRoles.Editor);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/umbraco")).StatusCode);
    }
}

/// <summary>RFC 6238 time-based codes, as an authenticator app computes them (Otp.NET is not served here).</summary>
internal static class Totp
{
    public static string Code(string base32Secret, DateTimeOffset? at = null)
    {
        var counter = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        var message = BitConverter.GetBytes(counter);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(message);
        }

#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1; this mirrors them.
        var hash = HMACSHA1.HashData(Base32(base32Secret), message);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var buffer = 0;
        var bytes = new List<byte>();
        foreach (var c in text.ToUpperInvariant().Where(c => c != '=' && c != ' '))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
