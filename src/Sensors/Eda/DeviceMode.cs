namespace EdgeEmotion.Sensors.Eda;

/// <summary>ADS1115 operating mode (config bit 8).</summary>
public enum DeviceMode
{
    /// <summary>Converts back to back; reads return the latest result.</summary>
    Continuous = 0,

    /// <summary>Powers down between conversions; each read starts one and polls OS until done.</summary>
    SingleShot = 1,
}
