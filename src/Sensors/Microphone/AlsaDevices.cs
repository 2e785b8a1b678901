using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeEmotion.Sensors.Microphone;

/// <summary>A capture device for <c>edgeemo devices</c>: <see cref="Name"/> goes into <c>Alsa.Device</c>.</summary>
/// <param name="Name">Stable ALSA name, <c>hw:CARD=&lt;id&gt;,DEV=&lt;n&gt;</c> (use plughw: for rate/format conversion).</param>
/// <param name="Description">Card and PCM names ("USB PnP Sound Device: USB Audio").</param>
/// <param name="Card">Card index (hw:Card,Device).</param>
/// <param name="Device">Device index on the card.</param>
public sealed record AlsaDevice(string Name, string Description, int Card, int Device);

/// <summary>
/// Lists the hardware capture PCMs from the kernel's /proc/asound (cards and pcm), the same
/// source as <c>arecord -l</c>; no libasound needed. No sound card (no /proc/asound) is an empty list.
/// </summary>
public static partial class AlsaDevices
{
    public static IReadOnlyList<AlsaDevice> ListCapture() => ListCapture("/proc/asound");

    /// <param name="procAsound">The /proc/asound folder (tests pass a copy).</param>
    public static IReadOnlyList<AlsaDevice> ListCapture(string procAsound)
    {
        var pcmFile = Path.Combine(procAsound, "pcm");
        if (!File.Exists(pcmFile))
        {
            return [];
        }

        var cards = ReadCards(Path.Combine(procAsound, "cards"));
        var devices = new List<AlsaDevice>();
        foreach (var line in File.ReadLines(pcmFile))
        {
            // "01-00: USB Audio : USB Audio : playback 1 : capture 1"
            var match = PcmLine().Match(line);
            if (!match.Success || !line.Contains(": capture", StringComparison.Ordinal))
            {
                continue;
            }

            var card = int.Parse(match.Groups["card"].Value, CultureInfo.InvariantCulture);
            var device = int.Parse(match.Groups["dev"].Value, CultureInfo.InvariantCulture);
            var pcmName = match.Groups["name"].Value.Trim();
            var (id, cardName) = cards.TryGetValue(card, out var c) ? c : (card.ToString(CultureInfo.InvariantCulture), $"card {card}");
            devices.Add(new AlsaDevice($"hw:CARD={id},DEV={device}", $"{cardName}: {pcmName}", card, device));
        }

        return devices;
    }

    private static Dictionary<int, (string Id, string Name)> ReadCards(string path)
    {
        var cards = new Dictionary<int, (string, string)>();
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                // " 1 [Device         ]: USB-Audio - USB PnP Sound Device"
                var match = CardLine().Match(line);
                if (match.Success)
                {
                    cards[int.Parse(match.Groups["card"].Value, CultureInfo.InvariantCulture)] = (match.Groups["id"].Value.Trim(), match.Groups["name"].Value.Trim());
                }
            }
        }

        return cards;
    }

    [GeneratedRegex(@"^(?<card>\d+)-(?<dev>\d+):\s*(?<name>[^:]*):")]
    private static partial Regex PcmLine();

    [GeneratedRegex(@"^\s*(?<card>\d+)\s+\[(?<id>[^\]]+)\]:\s*\S+\s+-\s+(?<name>.+)$")]
    private static partial Regex CardLine();
}
