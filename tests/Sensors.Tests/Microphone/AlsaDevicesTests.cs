using EdgeEmotion.Sensors.Microphone;

namespace EdgeEmotion.Sensors.Tests.Microphone;

public sealed class AlsaDevicesTests
{
    [Fact]
    public void A_machine_without_sound_cards_lists_none()
    {
        // A stand-in for /proc/asound, so the answer does not depend on this machine's cards:
        // no ALSA at all (no folder), and ALSA with no cards (a folder without cards or pcm).
        var dir = Directory.CreateTempSubdirectory("edgeemo-asound-");
        try
        {
            Assert.Empty(AlsaDevices.ListCapture(dir.FullName));
            Assert.Empty(AlsaDevices.ListCapture(Path.Combine(dir.FullName, "missing")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Capture_pcms_are_listed_with_stable_names()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"edgeemo-asound-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "cards"), """
                 0 [APE            ]: tegra-ape - NVIDIA Jetson Orin Nano APE
                                      NVIDIA Jetson Orin Nano APE
                 1 [Device         ]: USB-Audio - USB PnP Sound Device
                                      C-Media Electronics Inc. USB PnP Sound Device at usb-3610000.usb-2.1, full speed
                """);
            File.WriteAllText(Path.Combine(dir, "pcm"), """
                00-00: tegra-dlink-0 XBAR-ADMAIF1-0 :  : playback 1 : capture 1
                00-01: tegra-dlink-1 XBAR-ADMAIF2-1 :  : playback 1 : capture 1
                01-00: USB Audio : USB Audio : playback 1 : capture 1
                02-03: HDMI 0 : HDMI 0 : playback 1
                """);

            var devices = AlsaDevices.ListCapture(dir);

            Assert.Equal(
                [
                    new AlsaDevice("hw:CARD=APE,DEV=0", "NVIDIA Jetson Orin Nano APE: tegra-dlink-0 XBAR-ADMAIF1-0", 0, 0),
                    new AlsaDevice("hw:CARD=APE,DEV=1", "NVIDIA Jetson Orin Nano APE: tegra-dlink-1 XBAR-ADMAIF2-1", 0, 1),
                    new AlsaDevice("hw:CARD=Device,DEV=0", "USB PnP Sound Device: USB Audio", 1, 0),
                ],
                devices);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
