using System.Diagnostics;
using System.Text;

namespace Portfolio.TestSupport;

/// <summary>
/// Reads the <c>.eml</c> files the app writes to its pickup folder (its default mail transport,
/// <c>umbraco/Data/mail-pickup</c> under the content root).
/// </summary>
public static class MailPickup
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The pickup folder of an app with this content root.</summary>
    public static string Folder(string contentRoot) => Path.Combine(contentRoot, "umbraco", "Data", "mail-pickup");

    /// <summary>
    /// Waits until a mail matching <paramref name="match"/> is in <paramref name="directory"/> and returns it.
    /// The dispatcher sends right after the request's commit, but on its own thread: the file comes a moment
    /// after the page has answered, so the folder is polled. Fails listing what did arrive.
    /// </summary>
    public static async Task<ReceivedMail> WaitForAsync(string directory, Func<ReceivedMail, bool> match, string description, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var mails = ReadAll(directory);
            var found = mails.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (deadline.Elapsed > (timeout ?? DefaultTimeout))
            {
                var arrived = mails.Count == 0
                    ? "none"
                    : string.Join('\n', mails.Select(mail => $"  {mail.FileName}: to {mail.Header("To")}, \"{mail.Subject}\""));
                throw new TimeoutException(
                    $"No mail {description} arrived in {directory} within {(timeout ?? DefaultTimeout).TotalSeconds:0} s. Mails there:\n{arrived}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Every complete mail in the folder, oldest first; a file that is not (yet) a whole message is skipped.</summary>
    public static IReadOnlyList<ReceivedMail> ReadAll(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var mails = new List<ReceivedMail>();
        foreach (var file in new DirectoryInfo(directory).GetFiles("*.eml").OrderBy(file => file.LastWriteTimeUtc))
        {
            try
            {
                using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                mails.Add(ReceivedMail.Parse(reader.ReadToEnd(), file.Name));
            }
            catch (IOException)
            {
                // Being written or moved right now: the next poll reads it.
            }
            catch (FormatException)
            {
                // Not a whole message (MimeKit's ParseException is a FormatException): the next poll reads it again.
            }
        }

        return mails;
    }
}
