using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace EdgeEmotion.EdgeAgent.Ota;

/// <summary>A download was refused or failed; the message says why.</summary>
public sealed class OtaDownloadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Downloads a bundle over HTTP(S) into <c>&lt;downloads&gt;/&lt;sha256&gt;.part</c>, resuming a partial
/// file with a Range request, never past <c>maxBytes</c>, and returns <c>&lt;sha256&gt;.tar</c> only once
/// the whole file's sha256 matches the one requested.
/// </summary>
public sealed class OtaDownloader(HttpClient http, string downloadsDirectory, long maxBytes)
{
    /// <param name="progress">Bytes so far and the total when known.</param>
    public async Task<string> DownloadAsync(Uri url, string sha256, Action<long, long?>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme is not ("http" or "https"))
        {
            throw new OtaDownloadException($"url scheme '{url.Scheme}' is not http or https");
        }

        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new OtaDownloadException("sha256 must be 64 hex digits");
        }

        sha256 = sha256.ToLowerInvariant();
        Directory.CreateDirectory(downloadsDirectory);
        var part = Path.Combine(downloadsDirectory, $"{sha256}.part");
        var done = Path.Combine(downloadsDirectory, $"{sha256}.tar");
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

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            // The partial file is already whole (or stale): check it as it is.
        }
        else if (!response.IsSuccessStatusCode)
        {
            throw new OtaDownloadException($"GET {url.GetLeftPart(UriPartial.Path)}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
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
                throw new OtaDownloadException($"the bundle is {total} bytes, above the limit of {maxBytes}");
            }

            await using (var file = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None))
            {
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

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
