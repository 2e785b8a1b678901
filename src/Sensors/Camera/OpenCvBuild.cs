using OpenCvSharp;

namespace EdgeEmotion.Sensors.Camera;

/// <summary>The video I/O backends the loaded native OpenCV was built with (from its build information).</summary>
public sealed record OpenCvBuild(bool HasGStreamer, bool HasV4l2, bool HasFfmpeg)
{
    /// <summary>Reads <see cref="Cv2.GetBuildInformation"/> of the OpenCV that OpenCvSharpExtern is linked against.</summary>
    public static OpenCvBuild Detect() => Parse(Cv2.GetBuildInformation());

    /// <summary>
    /// Parses the "Video I/O:" section of OpenCV's build information, where each backend has a
    /// line such as <c>GStreamer: NO</c> or <c>FFMPEG: YES (58.29.100)</c>.
    /// </summary>
    public static OpenCvBuild Parse(string buildInformation)
    {
        ArgumentNullException.ThrowIfNull(buildInformation);
        bool gstreamer = false, v4l2 = false, ffmpeg = false;
        var inVideoIo = false;
        foreach (var rawLine in buildInformation.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (IsSectionHeader(rawLine))
            {
                inVideoIo = line.StartsWith("Video I/O:", StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (!inVideoIo)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var yes = line[(colon + 1)..].TrimStart().StartsWith("YES", StringComparison.OrdinalIgnoreCase);
            if (name.Equals("GStreamer", StringComparison.OrdinalIgnoreCase))
            {
                gstreamer |= yes;
            }
            else if (name.StartsWith("v4l", StringComparison.OrdinalIgnoreCase))
            {
                v4l2 |= yes;
            }
            else if (name.Equals("FFMPEG", StringComparison.OrdinalIgnoreCase))
            {
                ffmpeg |= yes;
            }
        }

        return new OpenCvBuild(gstreamer, v4l2, ffmpeg);
    }

    // Section headers sit two spaces in ("  Video I/O:"); their entries four ("    FFMPEG: YES").
    private static bool IsSectionHeader(string rawLine)
    {
        var indent = rawLine.Length - rawLine.TrimStart().Length;
        var trimmed = rawLine.Trim();
        return indent <= 2 && trimmed.EndsWith(':');
    }
}
