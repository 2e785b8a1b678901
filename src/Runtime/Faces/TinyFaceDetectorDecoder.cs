namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// Turns TinyFaceDetector's output grid into face boxes exactly as face-api.js does
/// (TinyYolov2Base.extractBoxes, then non-maximum suppression at IoU 0.4).
/// The grid is [1, S/32, S/32, 25]: per cell, five anchors of (tx, ty, tw, th, score logit).
/// A box is centred at ((col + sigmoid(tx)) / cells, (row + sigmoid(ty)) / cells) of the padded
/// square, sized exp(tw) * anchor width / cells by exp(th) * anchor height / cells, and scaled
/// back from the square to the frame.
/// </summary>
public sealed class TinyFaceDetectorDecoder
{
    /// <summary>Anchor sizes in grid cells (face-api's BOX_ANCHORS for the face detector).</summary>
    public static readonly IReadOnlyList<(double Width, double Height)> Anchors =
    [
        (1.603231, 2.094468),
        (6.041143, 7.080126),
        (2.882459, 3.518061),
        (4.266906, 5.178857),
        (9.041765, 10.66308),
    ];

    /// <summary>Boxes overlapping a better one by more than this IoU are dropped.</summary>
    public const double IouThreshold = 0.4;

    /// <summary>face-api's default minimum score.</summary>
    public const double DefaultScoreThreshold = 0.5;

    private const int ValuesPerAnchor = 5;

    public TinyFaceDetectorDecoder(int inputSize)
    {
        if (inputSize < 32 || inputSize % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "the detector's input size must be a positive multiple of 32");
        }

        InputSize = inputSize;
        Cells = inputSize / 32;
    }

    public int InputSize { get; }

    /// <summary>Grid cells per side.</summary>
    public int Cells { get; }

    /// <summary>Floats in the grid: cells x cells x 5 anchors x 5 values.</summary>
    public int GridLength => Cells * Cells * Anchors.Count * ValuesPerAnchor;

    /// <summary>The faces in a <paramref name="imageWidth"/> x <paramref name="imageHeight"/> frame, best first.</summary>
    public IReadOnlyList<FaceDetection> Decode(ReadOnlySpan<float> grid, int imageWidth, int imageHeight, double scoreThreshold = DefaultScoreThreshold)
    {
        if (grid.Length != GridLength)
        {
            throw new ArgumentException($"a {InputSize} detector grid holds {GridLength} floats; {grid.Length} given", nameof(grid));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageHeight);

        // The frame fills the square's top-left corner; these scale square fractions to frame fractions.
        var scale = (double)InputSize / Math.Max(imageWidth, imageHeight);
        var toFrameX = InputSize / Math.Round(imageWidth * scale, MidpointRounding.AwayFromZero);
        var toFrameY = InputSize / Math.Round(imageHeight * scale, MidpointRounding.AwayFromZero);

        var candidates = new List<FaceDetection>();
        for (var row = 0; row < Cells; row++)
        {
            for (var col = 0; col < Cells; col++)
            {
                for (var anchor = 0; anchor < Anchors.Count; anchor++)
                {
                    var at = (((row * Cells) + col) * Anchors.Count + anchor) * ValuesPerAnchor;
                    var score = Sigmoid(grid[at + 4]);
                    if (score <= scoreThreshold)
                    {
                        continue;
                    }

                    var centerX = (col + Sigmoid(grid[at])) / Cells * toFrameX;
                    var centerY = (row + Sigmoid(grid[at + 1])) / Cells * toFrameY;
                    var width = Math.Exp(grid[at + 2]) * Anchors[anchor].Width / Cells * toFrameX;
                    var height = Math.Exp(grid[at + 3]) * Anchors[anchor].Height / Cells * toFrameY;
                    var box = new FaceBox(
                        (centerX - (width / 2)) * imageWidth,
                        (centerY - (height / 2)) * imageHeight,
                        width * imageWidth,
                        height * imageHeight);
                    candidates.Add(new FaceDetection(score, box));
                }
            }
        }

        return SuppressOverlaps(candidates);
    }

    // face-api's nonMaxSuppression: repeatedly keep the best remaining box (on equal scores the
    // later one) and drop every remaining box that overlaps it by more than the threshold.
    private static List<FaceDetection> SuppressOverlaps(List<FaceDetection> candidates)
    {
        var remaining = candidates.OrderBy(d => d.Score).ToList();
        var kept = new List<FaceDetection>();
        while (remaining.Count > 0)
        {
            var best = remaining[^1];
            remaining.RemoveAt(remaining.Count - 1);
            kept.Add(best);
            remaining.RemoveAll(d => best.Box.Iou(d.Box) > IouThreshold);
        }

        return kept;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
