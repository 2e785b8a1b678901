namespace EdgeEmotion.Runtime.Faces;

/// <summary>
/// The seven classes of face-api's expression net, in the order of its output probabilities
/// (softmax, inside the ONNX model): basic facial expressions, not valence/arousal and not pain.
/// </summary>
public static class FaceExpressionLabels
{
    public static readonly IReadOnlyList<string> All = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"];

    /// <summary>The most probable class and its probability.</summary>
    public static (string Label, float Probability) Top(ReadOnlySpan<float> probabilities)
    {
        if (probabilities.Length != All.Count)
        {
            throw new ArgumentException($"{All.Count} expression probabilities expected; {probabilities.Length} given", nameof(probabilities));
        }

        var best = 0;
        for (var i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }

        return (All[best], probabilities[best]);
    }
}
