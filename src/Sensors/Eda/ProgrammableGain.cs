namespace EdgeEmotion.Sensors.Eda;

/// <summary>ADS1115 full-scale range (config bits 11:9). Codes 5-7 all mean ±0.256 V.</summary>
public enum ProgrammableGain
{
    FullScale6144mV = 0,
    FullScale4096mV = 1,
    FullScale2048mV = 2,
    FullScale1024mV = 3,
    FullScale512mV = 4,
    FullScale256mV = 5,
}
