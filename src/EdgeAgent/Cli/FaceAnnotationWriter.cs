using System.Globalization;
using EdgeEmotion.Runtime.Faces;
using OpenCvSharp;

namespace EdgeEmotion.EdgeAgent.Cli;

/// <summary>
/// <c>faces --annotate OUT</c>: each frame with the followed face's box, its 68 landmarks and its
/// pose drawn, written to a video (OUT ending in .mp4 or .avi) or as numbered PNGs in a folder.
/// </summary>
internal sealed class FaceAnnotationWriter : IDisposable
{
    private static readonly Scalar Usable = new(0, 220, 0);
    private static readonly Scalar Refused = new(0, 165, 255);
    private static readonly Scalar Other = new(160, 160, 160);
    private static readonly Scalar Point = new(255, 255, 0);

    private readonly VideoWriter? video;
    private readonly Size videoSize;
    private readonly string? folder;
    private long written;

    private FaceAnnotationWriter(string target, VideoWriter? video, Size videoSize, string? folder)
    {
        Target = target;
        this.video = video;
        this.videoSize = videoSize;
        this.folder = folder;
    }

    public string Target { get; }

    /// <exception cref="IOException">The target cannot be written; the message says why.</exception>
    public static FaceAnnotationWriter Open(string target, double frameRate, int width, int height)
    {
        var extension = Path.GetExtension(target).ToLowerInvariant();
        if (extension is ".mp4" or ".avi")
        {
            var parent = Path.GetDirectoryName(Path.GetFullPath(target))!;
            if (!Directory.Exists(parent))
            {
                throw new IOException($"--annotate {target}: the folder {parent} does not exist");
            }

            FourCC fourcc = extension == ".mp4" ? FourCC.FromFourChars('m', 'p', '4', 'v') : FourCC.MJPG;
            var writer = new VideoWriter(target, VideoCaptureAPIs.FFMPEG, fourcc, frameRate, new Size(width, height));
            if (!writer.IsOpened())
            {
                writer.Dispose();
                throw new IOException($"--annotate {target}: cannot write a video there (no permission, or no encoder)");
            }

            return new FaceAnnotationWriter(target, writer, new Size(width, height), null);
        }

        if (File.Exists(target))
        {
            throw new IOException($"--annotate {target}: is a file; give a folder for PNGs or a name ending in .mp4 or .avi");
        }

        try
        {
            Directory.CreateDirectory(target);
            var probe = Path.Combine(target, ".edgeemo-write-test");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"--annotate {target}: cannot write PNGs there: {e.Message}", e);
        }

        return new FaceAnnotationWriter(target, null, default, target);
    }

    /// <summary>Draws on <paramref name="bgr"/> (the frame is changed) and writes it.</summary>
    public void Write(Mat bgr, FaceFrame frame)
    {
        Draw(bgr, frame);
        if (video is not null && bgr.Size() == videoSize)
        {
            video.Write(bgr);
        }
        else if (video is not null)
        {
            // A camera may deliver another size than it was asked for; the writer drops frames of the wrong size.
            using var resized = bgr.Resize(videoSize);
            video.Write(resized);
        }
        else
        {
            var path = Path.Combine(folder!, string.Create(CultureInfo.InvariantCulture, $"frame_{written:D5}.png"));
            if (!Cv2.ImWrite(path, bgr))
            {
                throw new IOException($"--annotate: cannot write {path}");
            }
        }

        written++;
    }

    public void Dispose() => video?.Dispose();

    private static void Draw(Mat bgr, FaceFrame frame)
    {
        var face = frame.Face;
        foreach (var detection in frame.Detections)
        {
            if (face is null || !ReferenceEquals(detection, face.Track.Detection))
            {
                bgr.Rectangle(ToRect(detection.Box), Other, 1);
            }
        }

        if (face is null)
        {
            Label(bgr, frame.Reason ?? "", new Point(4, 14), Refused);
            return;
        }

        var colour = frame.Usable ? Usable : Refused;
        bgr.Rectangle(ToRect(face.Track.Detection.Box), colour, face.Track.Detected ? 2 : 1);
        foreach (var p in face.Landmarks.Points)
        {
            bgr.Circle(new Point((int)Math.Round(p.X), (int)Math.Round(p.Y)), 1, Point, -1);
        }

        // The nose's direction: a line from the nose tip along yaw and pitch.
        var nose = face.Landmarks.Points[30];
        var length = face.Quality.FaceSize * 0.5;
        var tip = new Point(
            (int)Math.Round(nose.X + (length * Math.Sin(face.Pose.Yaw * Math.PI / 180))),
            (int)Math.Round(nose.Y - (length * Math.Sin(face.Pose.Pitch * Math.PI / 180))));
        bgr.Line(new Point((int)Math.Round(nose.X), (int)Math.Round(nose.Y)), tip, colour, 2);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{face.Track.Detection.Score:F2} yaw {face.Pose.Yaw:F0} pitch {face.Pose.Pitch:F0} roll {face.Pose.Roll:F0}{(frame.Reason is null ? "" : " " + frame.Reason)}");
        Label(bgr, text, new Point(4, 14), colour);
    }

    private static void Label(Mat bgr, string text, Point at, Scalar colour) =>
        bgr.PutText(text, at, HersheyFonts.HersheySimplex, 0.4, colour, 1, LineTypes.AntiAlias);

    private static Rect ToRect(FaceBox box) =>
        new((int)Math.Round(box.X), (int)Math.Round(box.Y), (int)Math.Round(box.Width), (int)Math.Round(box.Height));
}
