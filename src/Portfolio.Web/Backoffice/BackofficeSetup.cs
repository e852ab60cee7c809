using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Backoffice;

/// <summary>
/// First run. While no administrator exists, <c>/umbraco/setup</c> creates one, guarded by a one-time token
/// that is written to the log at start (only someone who can read the server's log can use it). Only the
/// token's SHA-256 hash stays in memory, and it is forgotten as soon as an administrator exists.
/// For unattended deploys, <c>Backoffice:InitialAdmin</c> creates the administrator on start instead.
/// </summary>
public sealed partial class BackofficeSetup(
    IServiceScopeFactory scopes, DatabaseStartupLock startupLock, IOptions<BackofficeOptions> options, TimeProvider clock, ILogger<BackofficeSetup> logger)
{
    // Crockford's base32 without look-alikes (no I, L, O, U): easy to read from a log and type.
    private const string TokenAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _tokenHash;
    private volatile bool _administratorExists;

    /// <summary>
    /// Roles, the configured initial administrator, and the setup token when still needed. Instances that start
    /// together on one database take turns (<see cref="DatabaseStartupLock"/>), so each role and the administrator
    /// are created once.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await startupLock.AcquireAsync("backoffice roles and administrator", cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in BackofficeRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                var created = await roles.CreateAsync(new IdentityRole(role));
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"Could not create the role {role}: {Describe(created)}");
                }
            }
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<BackofficeUser>>();
        var initial = options.Value.InitialAdmin;
        if (await AnyAdministratorAsync(users))
        {
            _administratorExists = true;
            if (!string.IsNullOrEmpty(initial.Password))
            {
                LogInitialPasswordStillConfigured(logger);
            }

            return;
        }

        if (initial.IsConfigured)
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            var result = await CreateAdministratorAsync(users, initial.Email!.Trim(), initial.DisplayName, initial.Password!);
            if (!result.Succeeded)
            {
                throw new StartupProblemException(
                    $"Backoffice:InitialAdmin could not be created: {Describe(result.Identity)} Fix Backoffice:InitialAdmin and restart.");
            }

            await audit.RecordAsync(AuditActions.InitialAdministratorCreated, AuditEntityTypes.User, result.User!.Id,
                details: "Created on start from Backoffice:InitialAdmin.", actor: AuditActor.System, cancellationToken: cancellationToken);
            _administratorExists = true;
            LogInitialAdministratorCreated(logger, result.User.Email!);
            return;
        }

        var token = NewToken();
        _tokenHash = Hash(token);
        LogSetupToken(logger, BackofficeRoutes.Setup, token);
    }

    /// <summary>True while no administrator exists (checked against the database until one does).</summary>
    public async Task<bool> IsPendingAsync(CancellationToken cancellationToken = default)
    {
        if (_administratorExists)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        if (await AnyAdministratorAsync(scope.ServiceProvider.GetRequiredService<UserManager<BackofficeUser>>()))
        {
            Forget();
            return false;
        }

        return _tokenHash is not null;
    }

    /// <summary>Creates the first administrator when the token matches; the token then stops working.</summary>
    public async Task<SetupResult> CompleteAsync(string token, string email, string? displayName, string password,
        CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!await IsPendingAsync(cancellationToken))
            {
                return SetupResult.AlreadyDone;
            }

            if (_tokenHash is null || !CryptographicOperations.FixedTimeEquals(_tokenHash, Hash(token)))
            {
                LogWrongToken(logger);
                return SetupResult.WrongToken;
            }

            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<BackofficeUser>>();
            var result = await CreateAdministratorAsync(users, email, displayName, password);
            if (!result.Succeeded)
            {
                return result;
            }

            Forget();
            await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(AuditActions.SetupCompleted, AuditEntityTypes.User,
                result.User!.Id, details: "First administrator created with the setup token.", actor: AuditActor.Of(result.User),
                cancellationToken: cancellationToken);
            LogSetupCompleted(logger, result.User.Email!);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Forget()
    {
        _administratorExists = true;
        _tokenHash = null;
    }

    private static async Task<bool> AnyAdministratorAsync(UserManager<BackofficeUser> users) =>
        (await users.GetUsersInRoleAsync(BackofficeRoles.Administrator)).Count > 0;

    private async Task<SetupResult> CreateAdministratorAsync(UserManager<BackofficeUser> users, string email, string? displayName, string password)
    {
        if (!TextInput.IsEmail(email.Trim()))
        {
            return SetupResult.Invalid(IdentityResult.Failed(new IdentityError
            {
                Code = "InvalidEmail",
                Description = "Enter an e-mail address like name@example.com.",
            }));
        }

        var user = BackofficeUserAdministration.NewUser(email, displayName, users, clock.GetUtcNow().UtcDateTime);
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return SetupResult.Invalid(created);
        }

        var role = await users.AddToRoleAsync(user, BackofficeRoles.Administrator);
        if (!role.Succeeded)
        {
            await users.DeleteAsync(user);
            return SetupResult.Invalid(role);
        }

        return SetupResult.Created(user);
    }

    /// <summary>Upper-case, without separators, so "abcd-efgh" and "ABCDEFGH" are the same token.</summary>
    private static byte[] Hash(string token)
    {
        var normalized = new string(token.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return SHA256.HashData(Encoding.UTF8.GetBytes(normalized));
    }

    private static string NewToken()
    {
        // 20 characters of 5 bits: 100 bits of randomness, shown in groups of four.
        var builder = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                builder.Append('-');
            }

            builder.Append(TokenAlphabet[RandomNumberGenerator.GetInt32(TokenAlphabet.Length)]);
        }

        return builder.ToString();
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(error => error.Description));

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning,
        Message = "No backoffice administrator exists yet. Open {SetupPath} and enter this one-time setup token to create one: {SetupToken}")]
    private static partial void LogSetupToken(ILogger logger, string setupPath, string setupToken);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "A wrong backoffice setup token was entered")]
    private static partial void LogWrongToken(ILogger logger);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Backoffice setup completed: administrator {Email} created")]
    private static partial void LogSetupCompleted(ILogger logger, string email);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Initial backoffice administrator {Email} created from configuration")]
    private static partial void LogInitialAdministratorCreated(ILogger logger, string email);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
        Message = "Backoffice:InitialAdmin:Password is still configured although an administrator exists; it is ignored. Remove it from the configuration.")]
    private static partial void LogInitialPasswordStillConfigured(ILogger logger);
}

/// <summary>What a setup attempt came to.</summary>
public sealed record SetupResult(bool Succeeded, BackofficeUser? User, IdentityResult Identity, bool TokenRefused, bool Done)
{
    public static SetupResult WrongToken { get; } = new(false, null, IdentityResult.Failed(), TokenRefused: true, Done: false);
    public static SetupResult AlreadyDone { get; } = new(false, null, IdentityResult.Failed(), TokenRefused: false, Done: true);

    public static SetupResult Created(BackofficeUser user) => new(true, user, IdentityResult.Success, false, false);

    public static SetupResult Invalid(IdentityResult result) => new(false, null, result, false, false);
}
