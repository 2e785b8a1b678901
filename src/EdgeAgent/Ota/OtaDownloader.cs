using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using EdgeEmotion.Runtime.Configuration;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>A download was refused or failed; the message says why.</summary>
public sealed class OtaDownloadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Downloads a bundle over HTTP(S) into <c>&lt;downloads&gt;/&lt;sha256&gt;.part</c>, resuming a partial
/// file with a Range request, never past <c>maxBytes</c>, and returns <c>&lt;sha256&gt;.tar</c> only once
/// the whole file's sha256 matches the one requested. The folder holds one bundle at most: a new
/// download removes every other file first, so failed downloads never add up. Redirects are
/// followed here (give it a client that does not follow them), to http and https only.
/// </summary>
public sealed class OtaDownloader(HttpClient http, string downloadsDirectory, long maxBytes)
{
    public const int MaxRedirects = 5;

    /// <param name="progress">Bytes so far and the total when known.</param>
    public async Task<string> DownloadAsync(Uri url, string sha256, Action<long, long?>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        CheckScheme(url, "url");
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new OtaDownloadException("sha256 must be 64 hex digits");
        }

        sha256 = sha256.ToLowerInvariant();
        Directory.CreateDirectory(downloadsDirectory);
        var part = Path.Combine(downloadsDirectory, $"{sha256}.part");
        var done = Path.Combine(downloadsDirectory, $"{sha256}.tar");
        RemoveAllBut(part, done);
        if (File.Exists(done) && await HashAsync(done, cancellationToken) == sha256)
        {
            return done;
        }

        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (have > maxBytes)
        {
            File.Delete(part);
            have = 0;
        }

        using var response = await GetAsync(url, have, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            // The partial file is already whole (or stale): check it as it is.
        }
        else if (!response.IsSuccessStatusCode)
        {
            throw new OtaDownloadException($"GET {Shown(response.RequestMessage?.RequestUri ?? url)}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        else
        {
            var resumed = have > 0 && response.StatusCode == HttpStatusCode.PartialContent;
            if (!resumed)
            {
                have = 0;
            }

            long? total = response.Content.Headers.ContentLength is { } length ? length + have : null;
            if (total > maxBytes)
            {
                File.Delete(part);
                throw new OtaDownloadException($"the bundle is {total} bytes, above the limit of {maxBytes}");
            }

            try
            {
                await CopyBodyAsync(response, part, resumed, have, total, progress, cancellationToken);
            }
            catch (OtaDownloadException)
            {
                File.Delete(part); // Over the limit: nothing worth resuming.
                throw;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // The connection broke: the part stays for a Range request next time.
                throw new OtaDownloadException($"GET {Shown(url)}: the download broke off: {e.Message}", e);
            }
        }

        var actual = await HashAsync(part, cancellationToken);
        if (actual != sha256)
        {
            File.Delete(part);
            throw new OtaDownloadException($"sha256 mismatch: the download is {actual}, the request says {sha256}");
        }

        File.Move(part, done, overwrite: true);
        return done;
    }

    /// <summary>GET with Range from <paramref name="have"/>, following up to <see cref="MaxRedirects"/> redirects to http(s) addresses.</summary>
    private async Task<HttpResponseMessage> GetAsync(Uri url, long have, CancellationToken cancellationToken)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (have > 0)
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or UriFormatException)
            {
                // UriFormatException: a client that follows redirects itself met one it cannot parse.
                throw new OtaDownloadException($"GET {Shown(current)}: {e.Message}", e);
            }

            if ((int)response.StatusCode is < 300 or > 399 || response.StatusCode == HttpStatusCode.NotModified)
            {
                return response;
            }

            using (response)
            {
                if (response.Headers.Location is not { } location)
                {
                    throw new OtaDownloadException($"GET {Shown(current)}: HTTP {(int)response.StatusCode} without a Location");
                }

                if (hop >= MaxRedirects)
                {
                    throw new OtaDownloadException($"GET {Shown(url)}: more than {MaxRedirects} redirects");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                CheckScheme(next, $"GET {Shown(current)}: redirect to");
                current = next;
            }
        }
    }

    private async Task CopyBodyAsync(HttpResponseMessage response, string part, bool resumed, long have, long? total,
        Action<long, long?>? progress, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[81920];
        var written = have;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (written + read > maxBytes)
            {
                throw new OtaDownloadException($"the bundle exceeds the limit of {maxBytes} bytes");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            written += read;
            progress?.Invoke(written, total);
        }

        await file.FlushAsync(cancellationToken);
    }

    /// <summary>Removes every file in the downloads folder but this request's own (a stale part from another request, an old bundle).</summary>
    private void RemoveAllBut(params string[] keep)
    {
        foreach (var file in Directory.EnumerateFiles(downloadsDirectory))
        {
            if (!keep.Contains(file, StringComparer.Ordinal))
            {
                File.Delete(file);
            }
        }
    }

    private static void CheckScheme(Uri url, string what)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw new OtaDownloadException($"{what} '{Shown(url)}' refused: only http and https addresses are fetched");
        }
    }

    /// <summary>An address as a message may show it: no query (it may hold a token), control characters escaped.</summary>
    private static string Shown(Uri url) =>
        PrintableText.Escape(url.IsAbsoluteUri ? url.GetLeftPart(UriPartial.Path) : url.OriginalString);

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
