using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for tests: Debian's python3-aiosmtpd, writing every mail it accepts into a Maildir.
/// tests/run.sh starts one and exports <c>PORTFOLIO_TEST_SMTP_HOST</c>, <c>PORTFOLIO_TEST_SMTP_PORT</c> and
/// <c>PORTFOLIO_TEST_MAILDIR</c>; <see cref="SharedOrStartAsync"/> uses that one when it is set and starts a
/// private one on a free port otherwise, so the tests also run on their own. A test that has to control
/// the server's life (SMTP down, a slow server) starts a private one with <see cref="StartAsync"/>.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    /// <summary>Debian's interpreter, which is where python3-aiosmtpd is installed (not a pyenv shim on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    private const string InstallHint =
        "The mail tests need Debian's python3-aiosmtpd (a real SMTP server writing a Maildir): " +
        "apt-get update && apt-get install -y python3-aiosmtpd. tests/run.sh installs it.";

    /// <summary>
    /// aiosmtpd handlers for what its command line cannot do: wait before accepting each mail (as long as a file says,
    /// so a test can slow the server down and speed it up again), and require a login (PLAIN or LOGIN, checked
    /// against one user name and password, which the command line's server always refuses).
    /// </summary>
    private const string HandlersModule = """
        import asyncio
        import base64
        import email
        from aiosmtpd.handlers import Mailbox
        from aiosmtpd.smtp import AuthResult, LoginPassword, MISSING


        class SlowMailbox(Mailbox):
            def __init__(self, mail_dir, delay_file):
                super().__init__(mail_dir)
                self.delay_file = delay_file

            async def handle_DATA(self, server, session, envelope):
                # One line per mail the server starts to hold, so a test can act while a mail is on the wire.
                message_id = email.message_from_bytes(envelope.original_content or b"").get("Message-ID", "")
                with open(self.delay_file + ".held", "a") as f:
                    f.write(message_id.strip() + "\n")
                try:
                    with open(self.delay_file) as f:
                        delay = float(f.read().strip() or 0)
                except (OSError, ValueError):
                    delay = 0
                if delay > 0:
                    await asyncio.sleep(delay)
                return await super().handle_DATA(server, session, envelope)

            @classmethod
            def from_cli(cls, parser, *args):
                if len(args) != 2:
                    parser.error("SlowMailbox needs a Maildir and a delay file")
                return cls(args[0], args[1])


        class LoginMailbox(Mailbox):
            def __init__(self, mail_dir, login, password):
                super().__init__(mail_dir)
                self.login = login.encode()
                self.password = password.encode()

            def result(self, login, password):
                ok = login == self.login and password == self.password
                return AuthResult(success=ok, handled=False, auth_data=LoginPassword(login, password))

            # args: the mechanism, then the client's initial response if it sent one.
            async def auth_PLAIN(self, server, args):
                raw = base64.b64decode(args[1]) if len(args) > 1 else await server.challenge_auth("")
                if raw is MISSING:
                    return AuthResult(success=False, handled=False)
                _, login, password = raw.split(b"\0")
                return self.result(login, password)

            async def auth_LOGIN(self, server, args):
                login = base64.b64decode(args[1]) if len(args) > 1 else await server.challenge_auth("User Name\0")
                if login is MISSING:
                    return AuthResult(success=False, handled=False)
                password = await server.challenge_auth("Password\0")
                if password is MISSING:
                    return AuthResult(success=False, handled=False)
                return self.result(login, password)

            async def handle_MAIL(self, server, session, envelope, address, mail_options):
                if not session.authenticated:
                    return "530 5.7.0 Authentication required"
                envelope.mail_from = address
                envelope.mail_options.extend(mail_options)
                return "250 OK"

            @classmethod
            def from_cli(cls, parser, *args):
                if len(args) != 3:
                    parser.error("LoginMailbox needs a Maildir, a login and a password")
                return cls(*args)
        """;

    private readonly Process? _process;
    private readonly string? _ownedFolder;
    private readonly StringBuilder _output = new();

    private SmtpTestServer(string host, int port, string maildir, Process? process, string? ownedFolder, string? delayFile)
    {
        Host = host;
        Port = port;
        Maildir = maildir;
        _process = process;
        _ownedFolder = ownedFolder;
        DelayFile = delayFile;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The Maildir the server writes to (mails land in <c>new/</c>).</summary>
    public string Maildir { get; }

    /// <summary>For a slowed server: the file holding the seconds to wait per mail.</summary>
    public string? DelayFile { get; }

    /// <summary>True for the server tests/run.sh started (shared by every test; never stopped here).</summary>
    public bool IsShared => _process is null;

    /// <summary>The server tests/run.sh announced, or null when these tests run on their own.</summary>
    public static SmtpTestServer? FromEnvironment()
    {
        var host = Environment.GetEnvironmentVariable("PORTFOLIO_TEST_SMTP_HOST");
        var port = Environment.GetEnvironmentVariable("PORTFOLIO_TEST_SMTP_PORT");
        var maildir = Environment.GetEnvironmentVariable("PORTFOLIO_TEST_MAILDIR");
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        if (!int.TryParse(port, out var portNumber) || string.IsNullOrWhiteSpace(maildir))
        {
            throw new InvalidOperationException(
                "PORTFOLIO_TEST_SMTP_HOST is set, so PORTFOLIO_TEST_SMTP_PORT (a number) and PORTFOLIO_TEST_MAILDIR must be set too.");
        }

        return new SmtpTestServer(host, portNumber, maildir, process: null, ownedFolder: null, delayFile: null);
    }

    public static async Task<SmtpTestServer> SharedOrStartAsync() => FromEnvironment() ?? await StartAsync();

    /// <summary>
    /// Starts a private aiosmtpd on <paramref name="port"/> (or a free one), writing into a fresh Maildir.
    /// With <paramref name="slow"/> every mail waits for as many seconds as <see cref="DelayFile"/> says;
    /// with <paramref name="tls"/> it speaks STARTTLS (and requires it) or implicit TLS with that certificate;
    /// with <paramref name="login"/> it takes mail only after a login with this user name and password.
    /// </summary>
    public static async Task<SmtpTestServer> StartAsync(int? port = null, bool slow = false, SmtpServerTls? tls = null,
        NetworkCredential? login = null)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing. {InstallHint}");
        }

        var folder = Directory.CreateTempSubdirectory("portfolio-smtp-").FullName;
        var maildir = Path.Combine(folder, "Maildir");
        string? delayFile = null;
        var handler = "aiosmtpd.handlers.Mailbox";
        List<string> handlerArguments = [maildir];
        await File.WriteAllTextAsync(Path.Combine(folder, "portfolio_smtp_handlers.py"), HandlersModule);
        if (slow)
        {
            delayFile = Path.Combine(folder, "delay-seconds");
            await File.WriteAllTextAsync(delayFile, "0");
            handler = "portfolio_smtp_handlers.SlowMailbox";
            handlerArguments.Add(delayFile);
        }
        else if (login is not null)
        {
            handler = "portfolio_smtp_handlers.LoginMailbox";
            handlerArguments.AddRange([login.UserName, login.Password]);
        }

        // --tlscert offers STARTTLS and refuses mail without it; --smtpscert speaks TLS from the first byte.
        string[] tlsArguments = tls switch
        {
            null => [],
            { Implicit: true } => ["--smtpscert", tls.CertificatePath, "--smtpskey", tls.KeyPath],
            _ => ["--tlscert", tls.CertificatePath, "--tlskey", tls.KeyPath],
        };

        // A port taken between "free" and "bound" makes aiosmtpd exit: then try another (unless the caller chose the port).
        for (var attempt = 1; ; attempt++)
        {
            var chosen = port ?? FreePort.Next();
            var start = new ProcessStartInfo(Python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{chosen}", .. tlsArguments, "-c", handler, .. handlerArguments])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["PYTHONPATH"] = folder;
            var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
            var server = new SmtpTestServer("127.0.0.1", chosen, maildir, process, folder, delayFile);
            process.OutputDataReceived += (_, line) => server.Record(line.Data);
            process.ErrorDataReceived += (_, line) => server.Record(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            if (await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(20)))
            {
                return server;
            }

            var output = server.Output;
            await server.DisposeAsync();
            if (output.Contains("No module named aiosmtpd", StringComparison.Ordinal) ||
                output.Contains("No module named 'aiosmtpd'", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"python3-aiosmtpd is not installed. {InstallHint}");
            }

            if (port is not null || attempt >= 3)
            {
                throw new InvalidOperationException($"aiosmtpd did not start listening on 127.0.0.1:{chosen}. Its output:\n{output}");
            }
        }
    }

    /// <summary>Sets how long a slowed server waits before accepting each mail.</summary>
    public async Task SetDelayAsync(TimeSpan delay)
    {
        var file = DelayFile ?? throw new InvalidOperationException("Only a server started with slow: true has a delay.");
        // Written beside and moved in, so the handler never reads half a number.
        var next = file + ".next";
        await File.WriteAllTextAsync(next, delay.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(next, file, overwrite: true);
    }

    /// <summary>
    /// Waits until a slowed server has taken the DATA of the mail with this Message-ID and is holding it: the sender
    /// is then past everything it does before the wire.
    /// </summary>
    public async Task WaitUntilHoldingAsync(string messageId, TimeSpan timeout)
    {
        var held = (DelayFile ?? throw new InvalidOperationException("Only a server started with slow: true holds mails.")) + ".held";
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(held) || !(await File.ReadAllLinesAsync(held)).Contains(messageId, StringComparer.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The server did not start holding {messageId} within {timeout.TotalSeconds:0} s. Server output:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Every mail in the Maildir now (shared servers hold other tests' mail too: look yours up by Message-ID).</summary>
    public IReadOnlyList<ReceivedMail> ReadAll()
    {
        var mails = new List<ReceivedMail>();
        foreach (var sub in new[] { "new", "cur" })
        {
            var folder = Path.Combine(Maildir, sub);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder))
            {
                try
                {
                    mails.Add(ReceivedMail.Parse(File.ReadAllText(file)));
                }
                catch (FileNotFoundException)
                {
                    // Moved from new/ to cur/ by someone reading the shared Maildir meanwhile.
                }
            }
        }

        return mails;
    }

    /// <summary>How many times each Message-ID arrived.</summary>
    public Dictionary<string, int> CountByMessageId() =>
        ReadAll().Where(mail => mail.MessageId is not null)
            .GroupBy(mail => mail.MessageId!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);

    /// <summary>Waits until a mail with this Message-ID has arrived and returns it.</summary>
    public async Task<ReceivedMail> WaitForAsync(string messageId, TimeSpan? timeout = null) =>
        (await WaitForAllAsync([messageId], timeout ?? TimeSpan.FromSeconds(60)))[0];

    /// <summary>Waits until a mail has arrived for every Message-ID; returns them in the same order.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAllAsync(IReadOnlyCollection<string> messageIds, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var byId = ReadAll().Where(mail => mail.MessageId is not null)
                .GroupBy(mail => mail.MessageId!, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
            var missing = messageIds.Where(id => !byId.ContainsKey(id)).ToList();
            if (missing.Count == 0)
            {
                return messageIds.Select(id => byId[id]).ToList();
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"{missing.Count} of {messageIds.Count} mails did not arrive in {Maildir} within {timeout.TotalSeconds:0} s, e.g. {missing[0]}. Server output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>What the server printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Stops a private server (its Maildir stays until disposal); a shared one is left alone.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (_ownedFolder is not null)
        {
            try
            {
                Directory.Delete(_ownedFolder, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is cleaned by the OS eventually.
            }
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task<bool> WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                // Let the output handlers catch up with what the process said before it died.
                await Task.Delay(200);
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }
}

/// <summary>A certificate and its key (PEM files) for a TLS test server; <see cref="Implicit"/>: TLS from the first byte (SMTPS).</summary>
public sealed record SmtpServerTls(string CertificatePath, string KeyPath, bool Implicit = false)
{
    /// <summary>A throwaway self-signed certificate for localhost and 127.0.0.1, written into <paramref name="folder"/>.</summary>
    public static SmtpServerTls CreateSelfSigned(string folder, bool @implicit = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, "smtp-cert.pem");
        var keyPath = Path.Combine(folder, "smtp-key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new SmtpServerTls(certificatePath, keyPath, @implicit);
    }
}
