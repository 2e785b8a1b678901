namespace EdgeEmotion.Sensors.Eda;

/// <summary>ADS1115 input multiplexer (config bits 14:12): the positive and negative inputs measured.</summary>
public enum InputMultiplexer
{
    Ain0Ain1 = 0,
    Ain0Ain3 = 1,
    Ain1Ain3 = 2,
    Ain2Ain3 = 3,
    Ain0Gnd = 4,
    Ain1Gnd = 5,
    Ain2Gnd = 6,
    Ain3Gnd = 7,
}
