namespace EdgeEmotion.Sensors.Eda.Simulation;

/// <summary>What <see cref="Ads1115Simulator"/> does wrong while a fault is active.</summary>
public enum SimulatedFault
{
    None,

    /// <summary>The address is not acknowledged: every transfer throws IOException (ENXIO).</summary>
    Nack,

    /// <summary>The bus hangs (SCL held low): every transfer throws IOException (ETIMEDOUT).</summary>
    BusTimeout,

    /// <summary>Transfers work but a started conversion never finishes (OS stays 0).</summary>
    ConversionStuck,

    /// <summary>The electrodes are off: the inputs read 0 V whatever the front end says.</summary>
    ElectrodeOff,
}
