namespace EdgeEmotion.Sensors.Eda;

/// <summary>An ADS1115 transfer failed (NACK, bus timeout, conversion that never finished).</summary>
public sealed class Ads1115Exception : IOException
{
    public Ads1115Exception(int busId, int address, string operation, string message, Exception? inner = null)
        : base($"ADS1115 on I2C bus {busId} address 0x{address:X2}: {operation} failed: {message}", inner)
    {
        BusId = busId;
        Address = address;
        Operation = operation;
    }

    public int BusId { get; }

    public int Address { get; }

    /// <summary>What the driver was doing ("write config", "read conversion", "wait for conversion").</summary>
    public string Operation { get; }
}
