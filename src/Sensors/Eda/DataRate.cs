namespace EdgeEmotion.Sensors.Eda;

/// <summary>ADS1115 conversions per second (config bits 7:5).</summary>
public enum DataRate
{
    Sps8 = 0,
    Sps16 = 1,
    Sps32 = 2,
    Sps64 = 3,
    Sps128 = 4,
    Sps250 = 5,
    Sps475 = 6,
    Sps860 = 7,
}
